/**
 * The layer rules of docs/architecture.md hold: ESLint (the project's own config) refuses a
 * component importing the config edge, model/ importing zod or Pulumi, and tooling importing a
 * test, each with the rule's message. Linting real paths with deliberate violations proves the
 * rule would catch the next one, not only that today's tree is clean.
 */
import * as assert from "assert";
import * as path from "path";
import { ESLint } from "eslint";
import { PROJECT_DIR } from "../../harness/stackFiles";

/** The messages of no-restricted-imports for `code` linted as if it were the file at `file`. */
async function restrictedImports(file: string, code: string): Promise<string[]> {
    const eslint = new ESLint({ cwd: PROJECT_DIR });
    const [result] = await eslint.lintText(code, { filePath: path.join(PROJECT_DIR, file) });
    return result.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("layer rules (eslint no-restricted-imports)", function () {
    // Type-aware linting builds the project's program once: seconds, not milliseconds.
    this.timeout(120_000);

    it("refuses a component importing stacks/", async () => {
        const messages = await restrictedImports(
            "components/data/required.ts",
            'import type { ParseResult } from "../../stacks/parse";\nexport type Parsed = ParseResult;\n',
        );
        assert.strictEqual(messages.length, 1, messages.join("\n"));
        assert.match(messages[0], /'\.\.\/\.\.\/stacks\/parse' import is restricted.*config edge \(stacks\/\) is above them/);
    });

    it("refuses model/ importing zod or Pulumi", async () => {
        const messages = await restrictedImports(
            "model/names.ts",
            'import { z } from "zod";\nimport * as pulumi from "@pulumi/pulumi";\nexport const name = z.string();\nexport const out = pulumi.output(1);\n',
        );
        assert.deepStrictEqual(
            messages.map((m) => /'([^']+)' import is restricted/.exec(m)?.[1]),
            ["zod", "@pulumi/pulumi"],
        );
        for (const m of messages) assert.match(m, /no Pulumi and no zod/);
    });

    it("refuses tooling importing a test, and lets a test import the harness", async () => {
        const tooling = await restrictedImports(
            "scripts/policyReport.ts",
            'import { boundedLoad } from "../test/e2e/support/faults";\nexport const load = boundedLoad;\n',
        );
        assert.strictEqual(tooling.length, 1, tooling.join("\n"));
        assert.match(tooling[0], /Tooling never imports tests: shared helpers go in harness\//);
        const test = await restrictedImports(
            "test/unit/stacks.test.ts",
            'import { runStack } from "../../harness/runStack";\nexport const run = runStack;\n',
        );
        assert.deepStrictEqual(test, []);
    });

    it("still refuses a root import of @pulumi/aws inside a layer block (a later block replaces a rule's options)", async () => {
        const messages = await restrictedImports(
            "components/cluster/aws/eks.ts",
            'import * as aws from "@pulumi/aws";\nexport const region = aws.config.region;\n',
        );
        assert.strictEqual(messages.length, 1, messages.join("\n"));
        assert.match(messages[0], /Import a submodule, e\.g\. @pulumi\/aws\/eks/);
    });
});
