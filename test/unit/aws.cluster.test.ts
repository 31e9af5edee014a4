/**
 * The AwsCluster component built directly under mocks, watching the resource options every
 * child is created with (a transformation on the component sees them; the wire does not carry
 * ignoreChanges to the recording mock): the cluster autoscaler owns the node count.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { AwsCluster } from "../../components/cluster/aws";
import { NODE_GROUP_IGNORE_CHANGES, nodeGroupOptions } from "../../components/cluster/aws/nodegroup";
import { parseStackConfig } from "../../stacks/parse";
import "../../harness/awsFakes";
import { installMocks, settle } from "../../harness/mocks";
import { PROJECT_DIR, readStackFile } from "../../harness/stackFiles";
import { fakeFiles } from "./support/files";

interface Seen {
    readonly type: string;
    readonly name: string;
    readonly opts: pulumi.ResourceOptions;
}

describe("aws target: resource options", () => {
    const seen: Seen[] = [];

    before(async () => {
        const map = readStackFile("staging");
        const result = parseStackConfig(map.config, {
            stack: "staging",
            projectDir: PROJECT_DIR,
            project: "platform",
            homeDir: "/h",
            secretKeys: new Set(map.secretKeys),
            files: fakeFiles(),
        });
        if (!result.ok || result.config.cloud !== "aws") throw new Error("staging must parse as an aws stack");
        const registrations = await installMocks({ stack: "staging" });
        const watch: pulumi.ResourceTransformation = (args) => {
            seen.push({ type: args.type, name: args.name, opts: args.opts });
            return undefined;
        };
        new AwsCluster(
            "aws",
            {
                settings: result.config.target,
                stack: "staging",
                allowedSourceRanges: result.config.app.allowedSourceRanges,
                database: "app",
                imageNames: ["web"],
                vpa: true,
            },
            { transformations: [watch] },
        );
        await settle(registrations);
    });

    it("creates the node group with scalingConfig.desiredSize in ignoreChanges", () => {
        const nodeGroups = seen.filter((s) => s.type === "aws:eks/nodeGroup:NodeGroup");
        assert.strictEqual(nodeGroups.length, 1);
        assert.deepStrictEqual(nodeGroups[0].opts.ignoreChanges, ["scalingConfig.desiredSize"]);
    });

    it("ignores changes on nothing else", () => {
        const others = seen.filter((s) => s.type !== "aws:eks/nodeGroup:NodeGroup" && (s.opts.ignoreChanges ?? []).length > 0);
        assert.deepStrictEqual(
            others.map((s) => `${s.type}::${s.name}`),
            [],
        );
    });

    it("keeps the option when callers pass their own options", () => {
        const options = nodeGroupOptions({ protect: true });
        assert.deepStrictEqual(options.ignoreChanges, [...NODE_GROUP_IGNORE_CHANGES]);
        assert.strictEqual(options.protect, true);
    });
});
