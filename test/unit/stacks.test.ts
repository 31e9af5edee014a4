/**
 * Every committed Pulumi.<stack>.yaml parses, selects the cloud its environment is meant for,
 * and a typo in any of them is named without a single resource being registered.
 */
import * as assert from "assert";
import { parseStackConfig } from "../../stacks/parse";
import { runStack, withScratchKubeconfig } from "../../harness/runStack";
import { COMMITTED_STACKS } from "../../harness/committedStacks";
import { PROJECT_DIR, readStackFile } from "../../harness/stackFiles";
import { diskFiles } from "../../stacks/diskFiles";
import { TEST_KUBECONFIG } from "./support/files";

/** The environment → cloud mapping the project promises. */
const EXPECTED_CLOUD: Record<string, string> = { dev: "local", staging: "aws", prod: "azure" };

describe("committed stacks", () => {
    it("include dev, staging and prod", () => {
        for (const stack of ["dev", "prod", "staging"]) assert.ok(COMMITTED_STACKS.includes(stack), `Pulumi.${stack}.yaml missing`);
    });

    for (const stack of COMMITTED_STACKS) {
        describe(stack, () => {
            const map = readStackFile(stack);

            it("parses (the local kubeconfig is written by the platform, so only its existence is assumed)", () => {
                const result = parseStackConfig(map.config, {
                    stack,
                    projectDir: PROJECT_DIR,
                    project: "platform",
                    homeDir: "/home/user",
                    secretKeys: new Set(map.secretKeys),
                    files: {
                        kind: (p) => (p.endsWith("/.platform/kubeconfig") ? "file" : diskFiles.kind(p)),
                        readText: (p) => (p.endsWith("/.platform/kubeconfig") ? TEST_KUBECONFIG : diskFiles.readText(p)),
                    },
                });
                assert.ok(result.ok, result.ok ? "" : JSON.stringify(result.problems, null, 2));
                if (EXPECTED_CLOUD[stack]) assert.strictEqual(result.ok && result.config.cloud, EXPECTED_CLOUD[stack]);
            });

            it("disables the default kubernetes provider", () => {
                const disabled = JSON.parse(map.config["pulumi:disable-default-providers"] ?? "[]") as string[];
                assert.ok(disabled.includes("kubernetes"), "pulumi:disable-default-providers must include kubernetes");
            });

            it("names a typo'd key and registers nothing", async () => {
                const typo = withScratchKubeconfig({ ...map, config: { ...map.config, "platform:replcas": "3" } });
                const run = await runStack(stack, typo);
                assert.ok(run.error, "expected the program to throw");
                assert.match(
                    run.error.message,
                    new RegExp(`stack "${stack}" has 1 config problem in Pulumi\\.${stack}\\.yaml:\\n  platform:replcas +unknown key`),
                );
                assert.deepStrictEqual(run.registrations, []);
            });
        });
    }
});
