/** The aws target's pure helpers: subnet math, NAT layout, AMI choice, access, policies, kubeconfig, way in. */
import * as assert from "assert";
import * as fc from "fast-check";
import { awsWayIn } from "../../components/cluster/aws";
import { addonSpecs, irsaTrustPolicy } from "../../components/cluster/aws/addons";
import { postgresFamily, postgresInstanceSettings, redisTopology } from "../../components/cluster/aws/data";
import { eksClusterName, iamRoleArnParts } from "../../model/awsNames";
import { accessPolicyArn, adminEntrySuffix, endpointAccess } from "../../components/cluster/aws/eks";
import { eksKubeconfig } from "../../components/cluster/aws/kubeconfig";
import { natGatewayCount, natIndexForZone, pickZones, subnetLayout, subnetTags } from "../../components/cluster/aws/network";
import { amiTypeFor, scalingConfig } from "../../components/cluster/aws/nodegroup";
import { managedPolicyArn, partitionOf, serviceTrustPolicy } from "../../components/cluster/aws/partition";
import { lifecyclePolicy, registryHost, repositoryName } from "../../components/cluster/aws/registry";
import { cidrContains, cidrsOverlap, parseCidr } from "../../model/network";

describe("aws helpers: network", () => {
    it("splits a /16 into three /18 private and three /21 public subnets", () => {
        assert.deepStrictEqual(subnetLayout("10.0.0.0/16", 3), {
            private: ["10.0.0.0/18", "10.0.64.0/18", "10.0.128.0/18"],
            public: ["10.0.192.0/21", "10.0.200.0/21", "10.0.208.0/21"],
        });
    });

    it("splits a /20 for two zones", () => {
        assert.deepStrictEqual(subnetLayout("172.16.16.0/20", 2), {
            private: ["172.16.16.0/22", "172.16.20.0/22"],
            public: ["172.16.28.0/25", "172.16.28.128/25"],
        });
    });

    it("refuses a VPC outside /16../20 or a zone count outside 1..3", () => {
        assert.throws(() => subnetLayout("10.0.0.0/24", 2), /must be an IPv4 CIDR from \/16 to \/20/);
        assert.throws(() => subnetLayout("10.0.0.0/16", 4), /zones 4 must be 1, 2 or 3/);
    });

    it("keeps every subnet inside the VPC and apart from the others (any /16../20, 1..3 zones)", () => {
        fc.assert(
            fc.property(
                fc.integer({ min: 0, max: 2 ** 32 - 1 }),
                fc.integer({ min: 16, max: 20 }),
                fc.integer({ min: 1, max: 3 }),
                (address, prefix, zones) => {
                    const base = (address & (~0 << (32 - prefix))) >>> 0;
                    const vpc = `${[24, 16, 8, 0].map((s) => (base >>> s) & 255).join(".")}/${prefix}`;
                    const layout = subnetLayout(vpc, zones);
                    const all = [...layout.private, ...layout.public].map((c) => parseCidr(c)!);
                    const outer = parseCidr(vpc)!;
                    assert.strictEqual(all.length, 2 * zones);
                    for (const c of all) assert.ok(cidrContains(outer, c), `${vpc} does not contain a subnet`);
                    all.forEach((a, i) => {
                        all.forEach((b, j) => {
                            assert.ok(i === j || !cidrsOverlap(a, b), `${vpc}: subnets ${i} and ${j} overlap`);
                        });
                    });
                },
            ),
            { numRuns: 200 },
        );
    });

    it("uses one NAT gateway for single and one per zone for perZone, each zone routing through its own", () => {
        assert.strictEqual(natGatewayCount("single", 3), 1);
        assert.strictEqual(natGatewayCount("perZone", 3), 3);
        assert.deepStrictEqual(
            [0, 1, 2].map((z) => natIndexForZone("single", z)),
            [0, 0, 0],
        );
        assert.deepStrictEqual(
            [0, 1, 2].map((z) => natIndexForZone("perZone", z)),
            [0, 1, 2],
        );
    });

    it("tags public subnets for internet-facing and private ones for internal load balancers, both with the cluster", () => {
        assert.deepStrictEqual(subnetTags("public", "platform-staging", 0), {
            Name: "platform-staging-public-0",
            "kubernetes.io/role/elb": "1",
            "kubernetes.io/cluster/platform-staging": "shared",
        });
        assert.deepStrictEqual(subnetTags("private", "platform-staging", 1), {
            Name: "platform-staging-private-1",
            "kubernetes.io/role/internal-elb": "1",
            "kubernetes.io/cluster/platform-staging": "shared",
        });
    });

    it("picks the first zones in name order and names the key to lower when the region has too few", () => {
        assert.deepStrictEqual(pickZones(["eu-west-1c", "eu-west-1a", "eu-west-1b"], 2, "eu-west-1"), ["eu-west-1a", "eu-west-1b"]);
        assert.throws(
            () => pickZones(["us-west-1b", "us-west-1c"], 3, "us-west-1"),
            /region us-west-1 offers 2 availability zones \(us-west-1b, us-west-1c\); set platform:aws\.availabilityZones to at most 2/,
        );
    });
});

describe("aws helpers: EKS", () => {
    it("keeps the endpoint private when no CIDRs are given, and limits the public one to them otherwise", () => {
        assert.deepStrictEqual(endpointAccess([]), { endpointPrivateAccess: true, endpointPublicAccess: false });
        assert.deepStrictEqual(endpointAccess(["203.0.113.0/24"]), {
            endpointPrivateAccess: true,
            endpointPublicAccess: true,
            publicAccessCidrs: ["203.0.113.0/24"],
        });
    });

    it("names access entries by account and role name (stable under reordering), with or without a path", () => {
        assert.strictEqual(adminEntrySuffix("arn:aws:iam::123456789012:role/platform-admin"), "123456789012-platform-admin");
        assert.strictEqual(adminEntrySuffix("arn:aws:iam::123456789012:role/ops/break-glass"), "123456789012-break-glass");
        assert.throws(() => adminEntrySuffix("arn:aws:iam::123456789012:user/alice"), /is not an IAM role ARN/);
        // The edge's rule is the same expression, so what it accepts always gets a suffix.
        assert.deepStrictEqual(iamRoleArnParts("arn:aws-us-gov:iam::123456789012:role/a/b/ops+admin"), {
            account: "123456789012",
            name: "ops+admin",
        });
        assert.strictEqual(iamRoleArnParts("arn:aws:iam::123456789012:role/ops/"), undefined);
    });

    it("uses the region's partition in policy ARNs and service principals", () => {
        const gov = partitionOf("us-gov-west-1");
        const china = partitionOf("cn-north-1");
        assert.strictEqual(
            managedPolicyArn(partitionOf("eu-west-1"), "AmazonEKSWorkerNodePolicy"),
            "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
        );
        assert.strictEqual(managedPolicyArn(gov, "AmazonEKS_CNI_Policy"), "arn:aws-us-gov:iam::aws:policy/AmazonEKS_CNI_Policy");
        assert.strictEqual(
            accessPolicyArn(china, "AmazonEKSClusterAdminPolicy"),
            "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
        );
        const trust = JSON.parse(serviceTrustPolicy(china, "ec2")) as { Statement: { Principal: { Service: string } }[] };
        assert.strictEqual(trust.Statement[0].Principal.Service, "ec2.amazonaws.com.cn");
    });

    it("derives a cluster name EKS accepts from project and stack", () => {
        assert.strictEqual(eksClusterName("platform", "staging"), "platform-staging");
        assert.strictEqual(eksClusterName("platform", "team.prod"), "platform-team-prod");
        // Too long for EKS is refused at the config edge (config.test.ts), not here mid-deploy.
        assert.strictEqual(eksClusterName("p", "x".repeat(120)).length, 122);
    });

    it("chooses the ARM image for Graviton families and x86_64 for the rest", () => {
        const arm = ["t4g.medium", "m7g.large", "c6gn.xlarge", "r8gd.2xlarge", "x2gd.large", "is4gen.large", "a1.large", "g5g.xlarge"];
        const x86 = ["t3.medium", "m7i-flex.large", "c6in.large", "g5.xlarge", "inf2.xlarge", "m5.large", "c7i.metal-24xl"];
        for (const t of arm) assert.strictEqual(amiTypeFor(t), "AL2023_ARM_64_STANDARD", t);
        for (const t of x86) assert.strictEqual(amiTypeFor(t), "AL2023_x86_64_STANDARD", t);
    });

    it("scales the node group within min and max, desired only as the starting size", () => {
        assert.deepStrictEqual(scalingConfig({ minClusterSize: 2, maxClusterSize: 5, desiredClusterSize: 3 }), {
            minSize: 2,
            maxSize: 5,
            desiredSize: 3,
        });
        assert.throws(
            () => scalingConfig({ minClusterSize: 6, maxClusterSize: 5, desiredClusterSize: 5 }),
            /minClusterSize 6 is above maxClusterSize 5/,
        );
    });

    it("installs pod networking before nodes and the rest after, with network policy and an IRSA role for EBS CSI", () => {
        const specs = addonSpecs({ vpcCni: "v1", coreDns: "v2", kubeProxy: "v3", ebsCsi: "v4", metricsServer: "v5" });
        assert.deepStrictEqual(
            specs.map((s) => [s.addonName, s.version, s.phase]),
            [
                ["vpc-cni", "v1", "beforeNodes"],
                ["kube-proxy", "v3", "beforeNodes"],
                ["coredns", "v2", "afterNodes"],
                ["aws-ebs-csi-driver", "v4", "afterNodes"],
                ["metrics-server", "v5", "afterNodes"],
            ],
        );
        assert.deepStrictEqual(JSON.parse(specs[0].configurationValues!), { enableNetworkPolicy: "true" });
        assert.deepStrictEqual(specs[3].irsa, {
            namespace: "kube-system",
            serviceAccount: "ebs-csi-controller-sa",
            policies: ["service-role/AmazonEBSCSIDriverPolicy"],
        });
    });

    it("trusts only one service account of one cluster in an IRSA role", () => {
        const policy = JSON.parse(
            irsaTrustPolicy("arn:aws:iam::1:oidc-provider/oidc.eks.x/id/A", "https://oidc.eks.x/id/A", {
                namespace: "ns",
                serviceAccount: "sa",
            }),
        ) as {
            Statement: { Principal: unknown; Action: string; Condition: unknown }[];
        };
        assert.deepStrictEqual(policy.Statement[0], {
            Effect: "Allow",
            Principal: { Federated: "arn:aws:iam::1:oidc-provider/oidc.eks.x/id/A" },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
                StringEquals: { "oidc.eks.x/id/A:sub": "system:serviceaccount:ns:sa", "oidc.eks.x/id/A:aud": "sts.amazonaws.com" },
            },
        });
    });

    it("writes a kubeconfig that trusts the cluster CA and gets a token from the AWS CLI", () => {
        const doc = JSON.parse(
            eksKubeconfig({ clusterName: "c", endpoint: "https://e", certificateAuthority: "Q0E=", region: "eu-west-1" }),
        ) as {
            clusters: { cluster: Record<string, string> }[];
            users: { user: { exec: { command: string; args: string[] } } }[];
            "current-context": string;
        };
        assert.deepStrictEqual(doc.clusters[0].cluster, { server: "https://e", "certificate-authority-data": "Q0E=" });
        assert.strictEqual(doc["current-context"], "c");
        assert.strictEqual(doc.users[0].user.exec.command, "aws");
        assert.deepStrictEqual(doc.users[0].user.exec.args, [
            "eks",
            "get-token",
            "--cluster-name",
            "c",
            "--region",
            "eu-west-1",
            "--output",
            "json",
        ]);
        assert.ok(!JSON.stringify(doc).includes('token":'), "no static token");
    });
});

describe("aws helpers: registry, data, way in", () => {
    it("names repositories under the cluster, lowercase, and reads the registry host from the token endpoint", () => {
        assert.strictEqual(repositoryName("Platform-Staging", "web"), "platform-staging/web");
        assert.strictEqual(
            registryHost("https://123456789012.dkr.ecr.eu-west-1.amazonaws.com"),
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
        );
    });

    it("keeps the newest N pushed images (b-* tags), expires untagged old caches after a day, and never selects the buildcache tag", () => {
        const policy = JSON.parse(lifecyclePolicy(30)) as { rules: { selection: Record<string, unknown> }[] };
        assert.deepStrictEqual(policy, {
            rules: [
                {
                    rulePriority: 1,
                    description: "expire untagged manifests (old build caches) after a day",
                    selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 },
                    action: { type: "expire" },
                },
                {
                    rulePriority: 2,
                    description: "keep the newest 30 images",
                    selection: { tagStatus: "tagged", tagPatternList: ["b-*"], countType: "imageCountMoreThan", countNumber: 30 },
                    action: { type: "expire" },
                },
            ],
        });
    });

    it("adds a replica with automatic failover only for Multi-AZ Redis", () => {
        assert.deepStrictEqual(redisTopology(false), { numCacheClusters: 1, automaticFailoverEnabled: false, multiAzEnabled: false });
        assert.deepStrictEqual(redisTopology(true), { numCacheClusters: 2, automaticFailoverEnabled: true, multiAzEnabled: true });
    });

    it("keeps a final snapshot of a protected database, and none of an unprotected one", () => {
        const base = { instanceClass: "db.t4g.small", engineVersion: "16", allocatedStorage: 20, multiAz: true, backupRetentionDays: 14 };
        const protectedDb = postgresInstanceSettings({ ...base, deletionProtection: true }, "Platform_Prod");
        assert.strictEqual(protectedDb.skipFinalSnapshot, false);
        assert.strictEqual(protectedDb.finalSnapshotIdentifier, "platform-prod-postgres-final");
        const scratch = postgresInstanceSettings({ ...base, deletionProtection: false }, "platform-dev");
        assert.strictEqual(scratch.skipFinalSnapshot, true);
        assert.strictEqual(scratch.finalSnapshotIdentifier, undefined);
        assert.strictEqual(scratch.storageEncrypted, true);
        assert.strictEqual(scratch.publiclyAccessible, false);
        assert.strictEqual(postgresFamily("16.4"), "postgres16");
    });

    it("makes the NLB internet-facing only with source ranges, internal otherwise", () => {
        const open = awsWayIn(["198.51.100.0/24"]);
        const closed = awsWayIn([]);
        assert.ok(open.kind === "loadBalancer" && closed.kind === "loadBalancer");
        assert.strictEqual(open.address, "hostname");
        assert.deepStrictEqual(open.sourceRanges, ["198.51.100.0/24"]);
        assert.strictEqual(open.annotations["service.beta.kubernetes.io/aws-load-balancer-type"], "nlb");
        assert.strictEqual(open.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"], "internet-facing");
        assert.strictEqual(open.annotations["service.beta.kubernetes.io/aws-load-balancer-internal"], undefined);
        assert.strictEqual(closed.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"], "internal");
        assert.strictEqual(closed.annotations["service.beta.kubernetes.io/aws-load-balancer-internal"], "true");
    });
});
