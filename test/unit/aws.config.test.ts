/**
 * Table tests for the `platform:aws` block through the real parser: each bad value is named
 * with its key, the value received and the fix; good values pass and defaults are applied.
 */
import * as assert from "assert";
import { formatProblems } from "../../stacks/problems";
import { parseStackConfig, ParseResult } from "../../stacks/parse";
import { fakeFiles } from "./support/files";

const BASE = { region: "eu-west-1" };

function parseAws(block: Record<string, unknown>, build: Record<string, unknown> = {}): ParseResult {
    return parseStackConfig(
        { "platform:cloud": "aws", "platform:aws": JSON.stringify({ ...BASE, ...block }), "platform:build": JSON.stringify(build) },
        {
            stack: "staging",
            projectDir: "/project",
            project: "platform",
            homeDir: "/home/user",
            secretKeys: new Set<string>(),
            files: fakeFiles(),
        },
    );
}

function problemsOf(result: ParseResult): { key: string; value?: string; message: string }[] {
    assert.strictEqual(result.ok, false, "expected the config to be rejected");
    return result.ok ? [] : [...result.problems];
}

describe("aws config: rules", () => {
    const cases: { name: string; block: Record<string, unknown>; key: string; value?: string; message: RegExp }[] = [
        {
            name: "a region in the wrong case",
            block: { region: "EU-West-1" },
            key: "platform:aws.region",
            value: "EU-West-1",
            message: /must be an AWS region code such as "eu-west-1" \(lowercase, see aws ec2 describe-regions\)/,
        },
        {
            name: "a region without its number",
            block: { region: "eu-west" },
            key: "platform:aws.region",
            value: "eu-west",
            message: /must be an AWS region code such as "eu-west-1"/,
        },
        {
            name: "a region given as a name",
            block: { region: "Ireland" },
            key: "platform:aws.region",
            value: "Ireland",
            message: /AWS region code/,
        },
        {
            name: "an instance type without a size",
            block: { eksNodeInstanceType: "t3" },
            key: "platform:aws.eksNodeInstanceType",
            value: "t3",
            message: /must be an EC2 instance type name such as "t3\.medium" \(family, a dot, size; see aws ec2 describe-instance-types\)/,
        },
        {
            name: "an instance type in capitals",
            block: { eksNodeInstanceType: "T3.Medium" },
            key: "platform:aws.eksNodeInstanceType",
            value: "T3.Medium",
            message: /instance type name such as "t3\.medium"/,
        },
        {
            name: "an instance type with a space",
            block: { eksNodeInstanceType: "t3 medium" },
            key: "platform:aws.eksNodeInstanceType",
            value: "t3 medium",
            message: /instance type name/,
        },
        {
            name: "min nodes above max nodes",
            block: { minClusterSize: 5, maxClusterSize: 3, desiredClusterSize: 4 },
            key: "platform:aws.maxClusterSize",
            value: "3",
            message: /must be an integer from 1 to 100 and >= minClusterSize \(5\)/,
        },
        {
            name: "desired nodes outside min..max",
            block: { minClusterSize: 2, maxClusterSize: 4, desiredClusterSize: 6 },
            key: "platform:aws.desiredClusterSize",
            value: "6",
            message: /must be between minClusterSize \(2\) and maxClusterSize \(4\)/,
        },
        {
            name: "zero nodes",
            block: { minClusterSize: 0 },
            key: "platform:aws.minClusterSize",
            value: "0",
            message: /must be an integer from 1 to 100/,
        },
        {
            name: "one availability zone",
            block: { availabilityZones: 1 },
            key: "platform:aws.availabilityZones",
            value: "1",
            message: /must be an integer from 2 to 3/,
        },
        {
            name: "a VPC too small for the subnets",
            block: { vpcNetworkCidr: "10.0.0.0/24" },
            key: "platform:aws.vpcNetworkCidr",
            value: "10.0.0.0/24",
            message: /from \/16 to \/20/,
        },
        {
            name: "a VPC CIDR with host bits",
            block: { vpcNetworkCidr: "10.0.0.1/16" },
            key: "platform:aws.vpcNetworkCidr",
            value: "10.0.0.1/16",
            message: /IPv4 CIDR block/,
        },
        {
            name: "an unknown NAT mode, with a suggestion",
            block: { natGateways: "perzone" },
            key: "platform:aws.natGateways",
            value: "perzone",
            message: /must be one of single, perZone; did you mean perZone\?/,
        },
        {
            name: "an endpoint CIDR that is not one",
            block: { endpointPublicAccessCidrs: ["203.0.113.7"] },
            key: "platform:aws.endpointPublicAccessCidrs[0]",
            value: "203.0.113.7",
            message: /IPv4 CIDR block/,
        },
        {
            name: "an admin that is a user, not a role",
            block: { adminRoleArns: ["arn:aws:iam::123456789012:user/alice"] },
            key: "platform:aws.adminRoleArns[0]",
            value: "arn:aws:iam::123456789012:user/alice",
            message: /must be an IAM role ARN such as "arn:aws:iam::123456789012:role\/platform-admin"/,
        },
        {
            name: "a log retention CloudWatch refuses",
            block: { logRetentionDays: 10 },
            key: "platform:aws.logRetentionDays",
            value: "10",
            message: /must be one of 1, 3, 5, 7, 14, 30/,
        },
        {
            name: "an add-on version in the wrong format",
            block: { addons: { vpcCni: "1.20.4" } },
            key: "platform:aws.addons.vpcCni",
            value: "1.20.4",
            message: /describe-addon-versions --addon-name vpc-cni/,
        },
        {
            name: "kube-proxy for another Kubernetes version",
            block: { kubernetesVersion: "1.34", addons: { kubeProxy: "v1.33.3-eksbuild.6" } },
            key: "platform:aws.addons.kubeProxy",
            value: "v1.33.3-eksbuild.6",
            message: /must match kubernetesVersion \(1\.34\): use a v1\.34\.x-eksbuild\.N version/,
        },
        {
            name: "a PostgreSQL version RDS does not offer here",
            block: { postgres: { engineVersion: "9.6" } },
            key: "platform:aws.postgres.engineVersion",
            value: "9.6",
            message: /from 14 to 17/,
        },
        {
            name: "backups kept longer than RDS allows",
            block: { postgres: { backupRetentionDays: 36 } },
            key: "platform:aws.postgres.backupRetentionDays",
            value: "36",
            message: /from 1 to 35/,
        },
        {
            name: "a typo in a nested key, with a suggestion",
            block: { redis: { multiAZ: true } },
            key: "platform:aws.redis.multiAZ",
            message: /unknown key; did you mean platform:aws\.redis\.multiAz\?/,
        },
        {
            name: "a Kubernetes version the program has no cluster-autoscaler pin for, without an image",
            block: { kubernetesVersion: "1.34", addons: { kubeProxy: "v1.34.1-eksbuild.1" } },
            key: "platform:aws.kubernetesVersion",
            value: "1.34",
            message:
                /has no pinned cluster-autoscaler image \(the program pins 1\.32, 1\.33\); set platform:aws\.clusterAutoscaler\.image to registry\.k8s\.io\/autoscaling\/cluster-autoscaler:v1\.34\.N@sha256:<digest>/,
        },
        {
            name: "a cluster-autoscaler image of another minor than the cluster",
            block: {
                clusterAutoscaler: {
                    image: "registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.2@sha256:c627d8d159a8cd6705a2612afd8a9ffc499e2fc37bad3525364427439b9224c0",
                },
            },
            key: "platform:aws.clusterAutoscaler.image",
            // Values are bounded in messages.
            value: "registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.2@sha256:c627d8d159a8cd6705a2612afd8a9ffc499e2fc37bad3525364427439b… (126 characters)",
            message: /must match kubernetesVersion \(1\.33\): the autoscaler supports only its own minor/,
        },
        {
            name: "a cluster-autoscaler image by tag only",
            block: { clusterAutoscaler: { image: "registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.1" } },
            key: "platform:aws.clusterAutoscaler.image",
            value: "registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.1",
            message: /must be a cluster-autoscaler image pinned by tag and digest/,
        },
        {
            name: "an expander the program does not offer",
            block: { clusterAutoscaler: { expander: "priority" } },
            key: "platform:aws.clusterAutoscaler.expander",
            value: "priority",
            message: /must be one of least-waste, most-pods, random/,
        },
        {
            name: "a scale-down wait of zero minutes",
            block: { clusterAutoscaler: { scaleDownUnneededMinutes: 0 } },
            key: "platform:aws.clusterAutoscaler.scaleDownUnneededMinutes",
            value: "0",
            message: /must be an integer from 1 to 60/,
        },
    ];
    for (const c of cases) {
        it(`rejects ${c.name}`, () => {
            const problems = problemsOf(parseAws(c.block));
            const problem = problems.find((p) => p.key === c.key);
            assert.ok(problem, `no problem for ${c.key}; got ${JSON.stringify(problems)}`);
            assert.strictEqual(problem.value, c.value);
            assert.match(problem.message, c.message);
        });
    }

    it("reports a bad region and a bad instance type together, each with its fix", () => {
        const result = parseAws({ region: "eu_west_1", eksNodeInstanceType: "large" });
        const message = formatProblems("staging", problemsOf(result));
        assert.match(message, /^stack "staging" has 2 config problems in Pulumi\.staging\.yaml:/);
        assert.match(message, /platform:aws\.eksNodeInstanceType = large +must be an EC2 instance type name such as "t3\.medium"/);
        assert.match(message, /platform:aws\.region += eu_west_1 +must be an AWS region code such as "eu-west-1"/);
    });

    it("requires the region", () => {
        const problems = problemsOf(
            parseStackConfig(
                { "platform:cloud": "aws", "platform:aws": "{}" },
                { stack: "s", projectDir: "/p", project: "platform", homeDir: "/h", secretKeys: new Set(), files: fakeFiles() },
            ),
        );
        assert.deepStrictEqual(
            problems.map((p) => [p.key, p.message]),
            [["platform:aws.region", 'is required; it must be an AWS region code such as "eu-west-1" (see aws ec2 describe-regions)']],
        );
    });

    for (const region of ["eu-west-1", "us-east-1", "ap-southeast-2", "us-gov-west-1", "cn-north-1", "il-central-1"]) {
        it(`accepts region ${region}`, () => {
            assert.ok(parseAws({ region }).ok);
        });
    }
    for (const type of ["t3.medium", "m7g.2xlarge", "m7i-flex.large", "c7i.metal-24xl", "u-6tb1.metal", "x2gd.16xlarge"]) {
        // Graviton families need arm64 images (a cross-block rule of stacks/parse.ts).
        const build = /^[a-z]+\d+g/.test(type) ? { platform: "linux/arm64" } : {};
        it(`accepts instance type ${type}`, () => {
            assert.ok(parseAws({ eksNodeInstanceType: type }, build).ok);
        });
    }

    it("fills every default for a block with only the region", () => {
        const result = parseAws({});
        assert.ok(result.ok && result.config.cloud === "aws");
        const aws = result.config.target;
        assert.deepStrictEqual(
            {
                zones: aws.availabilityZones,
                cidr: aws.vpcNetworkCidr,
                nat: aws.natGateways,
                version: aws.kubernetesVersion,
                type: aws.eksNodeInstanceType,
                disk: aws.nodeDiskSizeGb,
                endpoint: aws.endpointPublicAccessCidrs,
                logs: aws.logRetentionDays,
                keep: aws.ecrKeepImages,
                sizes: [aws.minClusterSize, aws.desiredClusterSize, aws.maxClusterSize],
                redisMultiAz: aws.redis.multiAz,
                postgres: [aws.postgres.multiAz, aws.postgres.deletionProtection, aws.postgres.backupRetentionDays],
            },
            {
                zones: 2,
                cidr: "10.0.0.0/16",
                nat: "single",
                version: "1.33",
                type: "t3.medium",
                disk: 50,
                endpoint: [],
                logs: 90,
                keep: 30,
                sizes: [2, 2, 4],
                redisMultiAz: false,
                postgres: [false, false, 7],
            },
        );
        assert.ok(aws.addons.kubeProxy.startsWith("v1.33."));
        assert.strictEqual(aws.addons.metricsServer, "v0.8.0-eksbuild.2");
        assert.deepStrictEqual(aws.clusterAutoscaler, {
            expander: "least-waste",
            scaleDownUnneededMinutes: 10,
            scaleDownDelayAfterAddMinutes: 10,
            image: "",
        });
    });

    it("accepts a Kubernetes minor without a pin when the cluster-autoscaler image of that minor is given", () => {
        const image = `registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.0@sha256:${"a".repeat(64)}`;
        const result = parseAws({ kubernetesVersion: "1.34", addons: { kubeProxy: "v1.34.1-eksbuild.1" }, clusterAutoscaler: { image } });
        assert.ok(result.ok && result.config.cloud === "aws", JSON.stringify(result.ok ? "" : result.problems));
        assert.strictEqual(result.config.target.clusterAutoscaler.image, image);
    });

    it("accepts Kubernetes 1.32 on its pinned autoscaler", () => {
        assert.ok(parseAws({ kubernetesVersion: "1.32", addons: { kubeProxy: "v1.32.6-eksbuild.1" } }).ok);
    });
});
