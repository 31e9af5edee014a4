/**
 * The one source of truth for EC2 architecture (model/instances.ts): the config edge and the node
 * group's AMI type read it, so they cannot disagree (a1.large passed the edge as x86 while the
 * node group picked ARM).
 */
import * as assert from "assert";
import { amiTypeFor } from "../../components/cluster/aws/nodegroup";
import { ec2Architecture } from "../../model/instances";

describe("EC2 instance architecture", () => {
    const table: readonly (readonly [string, "amd64" | "arm64"])[] = [
        ["a1.large", "arm64"],
        ["t4g.medium", "arm64"],
        ["m7g.2xlarge", "arm64"],
        ["c6gn.xlarge", "arm64"],
        ["r8gd.large", "arm64"],
        ["x2gd.16xlarge", "arm64"],
        ["im4gn.large", "arm64"],
        ["is4gen.medium", "arm64"],
        ["g5g.xlarge", "arm64"],
        ["hpc7g.4xlarge", "arm64"],
        ["t3.medium", "amd64"],
        ["m7i.large", "amd64"],
        ["m7i-flex.large", "amd64"],
        ["c6in.large", "amd64"],
        ["r7iz.large", "amd64"],
        ["g5.xlarge", "amd64"],
        ["g4dn.xlarge", "amd64"],
        ["g4ad.xlarge", "amd64"],
        ["gr6.4xlarge", "amd64"],
        ["u-6tb1.metal", "amd64"],
    ];
    for (const [type, arch] of table) {
        it(`${type} is ${arch}, and its nodes get the AL2023 ${arch === "arm64" ? "ARM" : "x86_64"} image`, () => {
            assert.strictEqual(ec2Architecture(type), arch);
            assert.strictEqual(amiTypeFor(type), arch === "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD");
        });
    }
});
