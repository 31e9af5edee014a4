/**
 * The aws target under mocks, for the committed staging stack and its production-shaped
 * variant: what gets registered and with which settings (network placement, API exposure,
 * encryption, sizing, registry, managed data, way in) and the stack outputs.
 */
import * as assert from "assert";
import { CONTROL_PLANE_LOG_TYPES } from "../../components/cluster/aws/eks";
import { subnetLayout } from "../../components/cluster/aws/network";
import { parseStackConfig } from "../../stacks/parse";
import {
    FAKE_ACCOUNT,
    FAKE_ECR_TOKEN,
    fakeClusterSecurityGroup,
    fakeName,
    FAKE_ZONES,
    productionVariant,
    withAwsSettings,
} from "../../harness/awsFakes";
import { at, list, ofType, plainStrings, record } from "./support/inspect";
import { fakeId, Registration } from "../../harness/mocks";
import { isSecret, runStack, StackRun, valueOf } from "../../harness/runStack";
import { PROJECT_DIR, readStackFile, StackConfigMap } from "../../harness/stackFiles";
import { fakeFiles } from "./support/files";
import { StackConfig } from "../../model/stack";
import type { AwsSettings } from "../../model/targets";

function parse(stack: string, map: StackConfigMap): StackConfig & { cloud: "aws" } {
    const result = parseStackConfig(map.config, {
        stack,
        projectDir: PROJECT_DIR,
        project: "platform",
        homeDir: "/h",
        secretKeys: new Set(map.secretKeys),
        files: fakeFiles(),
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    if (result.config.cloud !== "aws") throw new Error(`${stack} is not an aws stack`);
    return result.config;
}

function one(run: StackRun, type: string, name?: string): Registration {
    const found = ofType(run.registrations, type).filter((r) => name === undefined || r.name === name);
    assert.strictEqual(
        found.length,
        1,
        `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.map((r) => r.name).join(", ") || "none"}`,
    );
    return found[0];
}

const json = (value: unknown): unknown => JSON.parse(String(value));
const idOf = (r: Registration) => fakeId(r.type, r.name);
/** The reference resources carry to a provider that is a child of the AwsCluster component. */
const providerRef = (stack: string, pkg: string, provider: Registration) =>
    `urn:pulumi:${stack}::platform::platform:cluster:AwsCluster$pulumi:providers:${pkg}::${provider.name}::${idOf(provider)}`;
const SUBNET = "aws:ec2/subnet:Subnet";

const VARIANTS: { title: string; stack: string; map: () => StackConfigMap }[] = [
    { title: "staging (committed)", stack: "staging", map: () => readStackFile("staging") },
    { title: "production-shaped variant of staging", stack: "production", map: () => productionVariant(readStackFile("staging")) },
];

for (const variant of VARIANTS) {
    describe(`aws target: ${variant.title}`, () => {
        let run: StackRun;
        let config: StackConfig & { cloud: "aws" };
        let aws: AwsSettings;

        before(async () => {
            const map = variant.map();
            config = parse(variant.stack, map);
            aws = config.target;
            run = await runStack(variant.stack, map);
            if (run.error) throw run.error;
        });

        it("registers the VPC, EKS cluster, node group, KMS keys, ECR repository, ElastiCache, RDS and the app's Deployment", () => {
            for (const type of [
                "aws:ec2/vpc:Vpc",
                "aws:eks/cluster:Cluster",
                "aws:eks/nodeGroup:NodeGroup",
                "aws:ecr/repository:Repository",
                "aws:elasticache/replicationGroup:ReplicationGroup",
                "aws:rds/instance:Instance",
            ]) {
                assert.strictEqual(ofType(run.registrations, type).length, 1, type);
            }
            // The app's web Deployment, the cluster autoscaler and the VPA recommender.
            assert.deepStrictEqual(
                ofType(run.registrations, "kubernetes:apps/v1:Deployment")
                    .map((d) => d.name)
                    .sort(),
                ["app-web-deployment", "aws-cluster-autoscaler-deployment", "aws-vpa-recommender-deployment"],
            );
            assert.deepStrictEqual(
                ofType(run.registrations, "aws:kms/key:Key")
                    .map((k) => k.name)
                    .sort(),
                ["aws-data-key", "aws-eks-secrets-key"],
            );
            assert.strictEqual(one(run, "platform:cluster:AwsCluster").parentType, "pulumi:pulumi:Stack");
        });

        it("creates every AWS resource through the explicit provider in the configured region", () => {
            const provider = one(run, "pulumi:providers:aws");
            assert.strictEqual(provider.inputs.region, aws.region);
            assert.strictEqual(provider.parentType, "platform:cluster:AwsCluster");
            const ref = providerRef(variant.stack, "aws", provider);
            const awsResources = run.registrations.filter((r) => r.type.startsWith("aws:"));
            assert.ok(awsResources.length > 30, `only ${awsResources.length} aws resources`);
            for (const r of awsResources)
                assert.strictEqual(r.provider, ref, `${r.type}::${r.name} uses ${r.provider || "the default provider"}`);
        });

        it("lays out a public and a private subnet per configured zone, from the VPC CIDR", () => {
            const layout = subnetLayout(aws.vpcNetworkCidr, aws.availabilityZones);
            const zones = [...FAKE_ZONES].sort().slice(0, aws.availabilityZones);
            assert.strictEqual(one(run, "aws:ec2/vpc:Vpc").inputs.cidrBlock, aws.vpcNetworkCidr);
            for (const kind of ["public", "private"] as const) {
                const subnets = ofType(run.registrations, SUBNET).filter((s) => s.name.startsWith(`aws-network-${kind}-`));
                assert.deepStrictEqual(subnets.map((s) => s.inputs.cidrBlock).sort(), [...layout[kind]].sort(), kind);
                assert.deepStrictEqual(subnets.map((s) => s.inputs.availabilityZone).sort(), zones, kind);
                for (const s of subnets) {
                    assert.strictEqual(s.inputs.mapPublicIpOnLaunch, false, s.name);
                    const tags = record(s.inputs.tags);
                    assert.strictEqual(tags[kind === "public" ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb"], "1", s.name);
                    assert.strictEqual(tags[`kubernetes.io/cluster/platform-${variant.stack}`], "shared", s.name);
                }
            }
        });

        it("puts nodes, the control plane and the data services only in private subnets", () => {
            const privateIds = ofType(run.registrations, SUBNET)
                .filter((s) => s.name.startsWith("aws-network-private-"))
                .map(idOf)
                .sort();
            const publicIds = ofType(run.registrations, SUBNET)
                .filter((s) => s.name.startsWith("aws-network-public-"))
                .map(idOf);
            assert.strictEqual(privateIds.length, aws.availabilityZones);
            const placements: [string, unknown][] = [
                ["node group", one(run, "aws:eks/nodeGroup:NodeGroup").inputs.subnetIds],
                ["control plane", at(one(run, "aws:eks/cluster:Cluster").inputs, "vpcConfig.subnetIds")],
                ["redis", one(run, "aws:elasticache/subnetGroup:SubnetGroup").inputs.subnetIds],
                ["postgres", one(run, "aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds],
            ];
            for (const [what, ids] of placements) {
                assert.deepStrictEqual([...list(ids)].sort(), privateIds, what);
                for (const id of list(ids)) assert.ok(!publicIds.includes(String(id)), `${what} in public subnet ${String(id)}`);
            }
        });

        it(`routes private subnets through ${variant.stack === "production" ? "a NAT gateway per zone" : "one NAT gateway"} and public ones through the internet gateway`, () => {
            const nats = ofType(run.registrations, "aws:ec2/natGateway:NatGateway");
            assert.strictEqual(nats.length, aws.natGateways === "perZone" ? aws.availabilityZones : 1);
            const publicIds = ofType(run.registrations, SUBNET)
                .filter((s) => s.name.startsWith("aws-network-public-"))
                .map(idOf);
            for (const nat of nats) assert.ok(publicIds.includes(String(nat.inputs.subnetId)), `${nat.name} not in a public subnet`);
            const privateTables = ofType(run.registrations, "aws:ec2/routeTable:RouteTable").filter((t) =>
                /^aws-network-private-\d-rt$/.test(t.name),
            );
            const natTargets = privateTables.map((t) => at(list(t.inputs.routes)[0], "natGatewayId"));
            assert.strictEqual(new Set(natTargets).size, nats.length);
            for (const t of privateTables)
                assert.strictEqual(at(list(t.inputs.routes)[0], "gatewayId"), undefined, `${t.name} routes to the internet gateway`);
            const publicTable = one(run, "aws:ec2/routeTable:RouteTable", "aws-network-public-rt");
            assert.strictEqual(
                at(list(publicTable.inputs.routes)[0], "gatewayId"),
                idOf(one(run, "aws:ec2/internetGateway:InternetGateway")),
            );
        });

        it("opens the API endpoint privately and publicly only to the configured CIDRs", () => {
            const vpcConfig = record(one(run, "aws:eks/cluster:Cluster").inputs.vpcConfig);
            assert.strictEqual(vpcConfig.endpointPrivateAccess, true);
            assert.strictEqual(vpcConfig.endpointPublicAccess, true);
            assert.deepStrictEqual(vpcConfig.publicAccessCidrs, aws.endpointPublicAccessCidrs);
        });

        it("runs the configured Kubernetes version with API access entries, control plane logs and KMS-encrypted secrets", () => {
            const cluster = one(run, "aws:eks/cluster:Cluster").inputs;
            assert.strictEqual(cluster.name, `platform-${variant.stack}`);
            assert.strictEqual(cluster.version, aws.kubernetesVersion);
            assert.deepStrictEqual(cluster.accessConfig, { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true });
            assert.deepStrictEqual(cluster.enabledClusterLogTypes, ["api", "audit", "authenticator"]);
            assert.deepStrictEqual([...CONTROL_PLANE_LOG_TYPES], ["api", "audit", "authenticator"]);
            const logs = one(run, "aws:cloudwatch/logGroup:LogGroup");
            assert.strictEqual(logs.inputs.name, `/aws/eks/platform-${variant.stack}/cluster`);
            assert.strictEqual(logs.inputs.retentionInDays, aws.logRetentionDays);
            const key = one(run, "aws:kms/key:Key", "aws-eks-secrets-key");
            assert.strictEqual(key.inputs.enableKeyRotation, true);
            assert.deepStrictEqual(cluster.encryptionConfig, {
                provider: { keyArn: `arn:aws:kms:eu-west-1:${FAKE_ACCOUNT}:key/aws-eks-secrets-key` },
                resources: ["secrets"],
            });
        });

        it("grants cluster admin to exactly the configured role ARNs", () => {
            const entries = ofType(run.registrations, "aws:eks/accessEntry:AccessEntry");
            assert.deepStrictEqual(entries.map((e) => e.inputs.principalArn).sort(), [...aws.adminRoleArns].sort());
            const associations = ofType(run.registrations, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
            assert.strictEqual(associations.length, aws.adminRoleArns.length);
            for (const a of associations) {
                assert.strictEqual(a.inputs.policyArn, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
                assert.deepStrictEqual(a.inputs.accessScope, { type: "cluster" });
                assert.ok(aws.adminRoleArns.includes(String(a.inputs.principalArn)));
            }
        });

        it("creates the IRSA OIDC provider for the cluster's issuer", () => {
            const oidc = one(run, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").inputs;
            assert.strictEqual(oidc.url, "https://oidc.eks.eu-west-1.amazonaws.com/id/AWS-EKS-CLUSTER");
            assert.deepStrictEqual(oidc.clientIdLists, ["sts.amazonaws.com"]);
            assert.strictEqual(list(oidc.thumbprintLists).length, 1);
        });

        it("sizes the node group from config, on the right AMI, with IMDSv2 and an encrypted root volume", () => {
            const nodes = one(run, "aws:eks/nodeGroup:NodeGroup").inputs;
            assert.deepStrictEqual(nodes.scalingConfig, {
                minSize: aws.minClusterSize,
                maxSize: aws.maxClusterSize,
                desiredSize: aws.desiredClusterSize,
            });
            assert.deepStrictEqual(nodes.instanceTypes, [aws.eksNodeInstanceType]);
            assert.strictEqual(nodes.amiType, "AL2023_x86_64_STANDARD");
            assert.strictEqual(nodes.version, aws.kubernetesVersion);
            const template = one(run, "aws:ec2/launchTemplate:LaunchTemplate").inputs;
            assert.strictEqual(at(template, "metadataOptions.httpTokens"), "required");
            assert.strictEqual(at(template, "metadataOptions.httpPutResponseHopLimit"), 1);
            const ebs = record(at(list(template.blockDeviceMappings)[0], "ebs"));
            assert.strictEqual(ebs.encrypted, "true");
            assert.strictEqual(ebs.volumeSize, aws.nodeDiskSizeGb);
        });

        it("gives the node role exactly the worker, CNI and ECR read-only policies", () => {
            const nodeRole = one(run, "aws:iam/role:Role", "aws-nodegroup-role");
            assert.strictEqual(
                at(list(at(json(nodeRole.inputs.assumeRolePolicy), "Statement"))[0], "Principal.Service"),
                "ec2.amazonaws.com",
            );
            const attached = ofType(run.registrations, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                .filter((a) => a.inputs.role === "aws-nodegroup-role")
                .map((a) => a.inputs.policyArn)
                .sort();
            assert.deepStrictEqual(attached, [
                "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
                "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
                "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
            ]);
        });

        it("installs the managed add-ons at the pinned versions, network policy on, EBS CSI with its IRSA role", () => {
            const addons = Object.fromEntries(
                ofType(run.registrations, "aws:eks/addon:Addon").map((a) => [String(a.inputs.addonName), a.inputs]),
            );
            assert.deepStrictEqual(Object.fromEntries(Object.entries(addons).map(([n, a]) => [n, a.addonVersion])), {
                "vpc-cni": aws.addons.vpcCni,
                "kube-proxy": aws.addons.kubeProxy,
                coredns: aws.addons.coreDns,
                "aws-ebs-csi-driver": aws.addons.ebsCsi,
                "metrics-server": aws.addons.metricsServer,
            });
            assert.deepStrictEqual(JSON.parse(String(addons["vpc-cni"].configurationValues)), { enableNetworkPolicy: "true" });
            const csiRole = one(run, "aws:iam/role:Role", "aws-addons-aws-ebs-csi-driver-role");
            assert.strictEqual(addons["aws-ebs-csi-driver"].serviceAccountRoleArn, `arn:aws:iam::${FAKE_ACCOUNT}:role/${csiRole.name}`);
            const trust = list(at(json(csiRole.inputs.assumeRolePolicy), "Statement"))[0];
            assert.deepStrictEqual(at(trust, "Condition.StringEquals"), {
                "oidc.eks.eu-west-1.amazonaws.com/id/AWS-EKS-CLUSTER:sub": "system:serviceaccount:kube-system:ebs-csi-controller-sa",
                "oidc.eks.eu-west-1.amazonaws.com/id/AWS-EKS-CLUSTER:aud": "sts.amazonaws.com",
            });
            const storageClass = one(run, "kubernetes:storage.k8s.io/v1:StorageClass").inputs;
            assert.strictEqual(storageClass.provisioner, "ebs.csi.aws.com");
            assert.deepStrictEqual(storageClass.parameters, { type: "gp3", encrypted: "true" });
        });

        it("makes one immutable (but the buildcache tag), scanned, KMS-encrypted ECR repository per service, with a lifecycle policy", () => {
            const repositories = ofType(run.registrations, "aws:ecr/repository:Repository");
            assert.deepStrictEqual(
                repositories.map((r) => r.inputs.name).sort(),
                config.app.services.map((s) => `platform-${variant.stack}/${s.name}`).sort(),
            );
            for (const r of repositories) {
                assert.strictEqual(r.inputs.imageTagMutability, "IMMUTABLE_WITH_EXCLUSION");
                assert.deepStrictEqual(r.inputs.imageTagMutabilityExclusionFilters, [{ filter: "buildcache", filterType: "WILDCARD" }]);
                assert.deepStrictEqual(r.inputs.imageScanningConfiguration, { scanOnPush: true });
                assert.deepStrictEqual(r.inputs.encryptionConfigurations, [
                    { encryptionType: "KMS", kmsKey: `arn:aws:kms:eu-west-1:${FAKE_ACCOUNT}:key/aws-data-key` },
                ]);
            }
            const policies = ofType(run.registrations, "aws:ecr/lifecyclePolicy:LifecyclePolicy");
            assert.strictEqual(policies.length, repositories.length);
            for (const p of policies)
                assert.strictEqual(at(list(at(json(p.inputs.policy), "rules"))[1], "selection.countNumber"), aws.ecrKeepImages);
        });

        it("pushes images to ECR with the short-lived token, kept secret", () => {
            const image = ofType(run.registrations, "docker-build:index:Image")[0];
            const registries = list(image.inputs.registries);
            assert.strictEqual(at(registries[0], "address"), FAKE_ECR_TOKEN.proxyEndpoint.replace("https://", ""));
            assert.strictEqual(at(registries[0], "password"), FAKE_ECR_TOKEN.password);
            assert.ok(!plainStrings(image.wireInputs).includes(FAKE_ECR_TOKEN.password), "ECR token in plain text");
            assert.match(
                String(list(image.inputs.tags)[0]),
                new RegExp(`^${FAKE_ACCOUNT}\\.dkr\\.ecr\\.eu-west-1\\.amazonaws\\.com/platform-${variant.stack}/web:`),
            );
        });

        it("encrypts Redis at rest and in transit, with a generated secret auth token, Multi-AZ as configured", () => {
            const redis = one(run, "aws:elasticache/replicationGroup:ReplicationGroup");
            assert.strictEqual(redis.inputs.transitEncryptionEnabled, true);
            assert.strictEqual(redis.inputs.atRestEncryptionEnabled, true);
            assert.strictEqual(redis.inputs.kmsKeyId, `arn:aws:kms:eu-west-1:${FAKE_ACCOUNT}:key/aws-data-key`);
            assert.strictEqual(redis.inputs.nodeType, aws.redis.nodeType);
            assert.strictEqual(redis.inputs.numCacheClusters, aws.redis.multiAz ? 2 : 1);
            assert.strictEqual(redis.inputs.automaticFailoverEnabled, aws.redis.multiAz);
            assert.strictEqual(redis.inputs.multiAzEnabled, aws.redis.multiAz);
            assert.strictEqual(typeof redis.inputs.authToken, "string");
            assert.ok(!plainStrings(redis.wireInputs).includes(String(redis.inputs.authToken)), "auth token in plain text");
        });

        it("keeps PostgreSQL encrypted, private, backed up and protected as configured", () => {
            const db = one(run, "aws:rds/instance:Instance");
            assert.strictEqual(db.inputs.storageEncrypted, true);
            assert.strictEqual(db.inputs.publiclyAccessible, false);
            assert.strictEqual(db.inputs.kmsKeyId, `arn:aws:kms:eu-west-1:${FAKE_ACCOUNT}:key/aws-data-key`);
            assert.strictEqual(db.inputs.backupRetentionPeriod, aws.postgres.backupRetentionDays);
            assert.strictEqual(db.inputs.multiAz, aws.postgres.multiAz);
            assert.strictEqual(db.inputs.deletionProtection, aws.postgres.deletionProtection);
            assert.strictEqual(db.inputs.skipFinalSnapshot, !aws.postgres.deletionProtection);
            assert.strictEqual(db.inputs.engineVersion, aws.postgres.engineVersion);
            assert.strictEqual(db.inputs.dbName, config.data.postgres.database);
            assert.ok(!plainStrings(db.wireInputs).includes(String(db.inputs.password)), "password in plain text");
            const params = one(run, "aws:rds/parameterGroup:ParameterGroup").inputs;
            assert.deepStrictEqual(params.parameters, [{ name: "rds.force_ssl", value: "1" }]);
            assert.strictEqual(db.inputs.parameterGroupName, fakeName("aws-data-postgres-params"));
        });

        it("admits only the cluster's node security group to Redis and PostgreSQL, each on its port", () => {
            const rules = ofType(run.registrations, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
            assert.deepStrictEqual(rules.map((r) => [r.name, r.inputs.fromPort, r.inputs.toPort]).sort(), [
                ["aws-data-postgres-from-nodes", 5432, 5432],
                ["aws-data-redis-from-nodes", 6379, 6379],
            ]);
            for (const r of rules) {
                assert.strictEqual(r.inputs.referencedSecurityGroupId, fakeClusterSecurityGroup("aws-eks-cluster"));
                assert.strictEqual(r.inputs.cidrIpv4, undefined);
            }
            const groups = Object.fromEntries(
                ofType(run.registrations, "aws:ec2/securityGroup:SecurityGroup").map((g) => [idOf(g), g.name]),
            );
            assert.strictEqual(
                groups[String(list(one(run, "aws:rds/instance:Instance").inputs.vpcSecurityGroupIds)[0])],
                "aws-data-postgres-sg",
            );
            assert.strictEqual(
                groups[String(list(one(run, "aws:elasticache/replicationGroup:ReplicationGroup").inputs.securityGroupIds)[0])],
                "aws-data-redis-sg",
            );
        });

        it("hands the app managed data over TLS and lets it reach only the VPC on the data ports", () => {
            assert.strictEqual(ofType(run.registrations, "kubernetes:apps/v1:StatefulSet").length, 0, "no in-cluster data on aws");
            const deployment = ofType(run.registrations, "kubernetes:apps/v1:Deployment").find(
                (d) => at(d.inputs, "metadata.name") === "web",
            );
            const env = list(at(list(at(deployment?.inputs, "spec.template.spec.containers"))[0], "env"));
            const data = Object.fromEntries(env.map((e) => [String(at(e, "name")), at(e, "value")]));
            assert.strictEqual(data.REDIS_TLS, "true");
            assert.strictEqual(data.PGSSLMODE, "require");
            assert.strictEqual(data.REDIS_HOST, "master.aws-data-redis.cache.amazonaws.com");
            assert.strictEqual(data.PGHOST, "aws-data-postgres.rds.amazonaws.com");
            assert.strictEqual(data.PGPORT, "5432");
            const policy = ofType(run.registrations, "kubernetes:networking.k8s.io/v1:NetworkPolicy").find(
                (p) => at(p.inputs, "metadata.name") === "web",
            );
            const egress = list(at(policy?.inputs, "spec.egress")).map((rule) => [
                at(list(at(rule, "to"))[0], "ipBlock.cidr"),
                at(list(at(rule, "ports"))[0], "port"),
            ]);
            assert.deepStrictEqual(egress, [
                [aws.vpcNetworkCidr, 6379],
                [aws.vpcNetworkCidr, 5432],
            ]);
        });

        it("exposes public services through an internet-facing NLB limited to app.allowedSourceRanges", () => {
            const service = ofType(run.registrations, "kubernetes:core/v1:Service").find((s) => at(s.inputs, "metadata.name") === "web");
            const annotations = record(at(service?.inputs, "metadata.annotations"));
            assert.strictEqual(annotations["service.beta.kubernetes.io/aws-load-balancer-type"], "nlb");
            assert.strictEqual(annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"], "internet-facing");
            assert.strictEqual(annotations["service.beta.kubernetes.io/aws-load-balancer-internal"], undefined);
            assert.strictEqual(at(service?.inputs, "spec.type"), "LoadBalancer");
            assert.deepStrictEqual(at(service?.inputs, "spec.loadBalancerSourceRanges"), config.app.allowedSourceRanges);
        });

        it("deploys every Kubernetes object through the cluster's provider", () => {
            const provider = one(run, "pulumi:providers:kubernetes", "aws-k8s");
            const ref = providerRef(variant.stack, "kubernetes", provider);
            for (const r of run.registrations.filter((x) => x.type.startsWith("kubernetes:")))
                assert.strictEqual(r.provider, ref, `${r.type}::${r.name}`);
        });

        it("returns appUrl, clusterName, registryUrl and a secret kubeconfig that authenticates with aws eks get-token", async () => {
            const outputs = run.outputs!;
            assert.strictEqual(await valueOf(outputs.appUrl), "http://app-web-service.elb.example.com");
            assert.strictEqual(await valueOf(outputs.clusterName), `platform-${variant.stack}`);
            assert.strictEqual(await valueOf(outputs.registryUrl), `${FAKE_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`);
            assert.ok(await isSecret(outputs.kubeconfig), "kubeconfig is not secret");
            const kubeconfig = JSON.parse(await valueOf(outputs.kubeconfig)) as Record<string, unknown>;
            assert.strictEqual(
                at(list(kubeconfig.clusters)[0], "cluster.server"),
                `https://platform-${variant.stack}.gr7.eu-west-1.eks.amazonaws.com`,
            );
            const exec = record(at(list(kubeconfig.users)[0], "user.exec"));
            assert.strictEqual(exec.command, "aws");
            assert.deepStrictEqual(exec.args, [
                "eks",
                "get-token",
                "--cluster-name",
                `platform-${variant.stack}`,
                "--region",
                aws.region,
                "--output",
                "json",
            ]);
            const k8sProvider = one(run, "pulumi:providers:kubernetes", "aws-k8s");
            assert.ok(
                !plainStrings(k8sProvider.wireInputs).some((s) => s.includes("get-token")),
                "kubeconfig sent to the provider in plain text",
            );
        });
    });
}

describe("aws target: variants of the way in and the API endpoint", () => {
    it("keeps the load balancer internal and the API private when no CIDRs are configured", async () => {
        const base = readStackFile("staging");
        const map = withAwsSettings(
            {
                ...base,
                config: {
                    ...base.config,
                    "platform:app": JSON.stringify({ ...(json(base.config["platform:app"]) as object), allowedSourceRanges: [] }),
                },
            },
            { endpointPublicAccessCidrs: [] },
        );
        const run = await runStack("staging", map);
        if (run.error) throw run.error;
        const vpcConfig = record(one(run, "aws:eks/cluster:Cluster").inputs.vpcConfig);
        assert.strictEqual(vpcConfig.endpointPrivateAccess, true);
        assert.strictEqual(vpcConfig.endpointPublicAccess, false);
        assert.strictEqual(vpcConfig.publicAccessCidrs, undefined);
        const service = ofType(run.registrations, "kubernetes:core/v1:Service").find((s) => at(s.inputs, "metadata.name") === "web");
        const annotations = record(at(service?.inputs, "metadata.annotations"));
        assert.strictEqual(annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"], "internal");
        assert.strictEqual(annotations["service.beta.kubernetes.io/aws-load-balancer-internal"], "true");
        assert.strictEqual(at(service?.inputs, "spec.loadBalancerSourceRanges"), undefined);
    });
});
