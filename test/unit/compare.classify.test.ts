/** The resource classifier and the plan built from registrations. */
import * as assert from "assert";
import { classify, Kind } from "../../compare/classify";
import { buildPlan, PlannedResource } from "../../compare/plan";

const KNOWN: readonly (readonly [string, string, Kind])[] = [
    ["aws:ec2/vpc:Vpc", "platform:cluster:AwsNetwork", "network"],
    ["aws:ec2/natGateway:NatGateway", "platform:cluster:AwsNetwork", "network"],
    ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "platform:cluster:AwsNetwork", "network"],
    ["azure-native:network:VirtualNetwork", "platform:cluster:AzureNetwork", "network"],
    ["azure-native:privatedns:PrivateZone", "platform:cluster:AzureData", "data"],
    ["kubernetes:networking.k8s.io/v1:NetworkPolicy", "platform:app:KubernetesApp", "network"],
    ["pulumi-nodejs:dynamic/platform:SwarmNetwork", "platform:app:SwarmNetworks", "network"],
    ["aws:eks/cluster:Cluster", "platform:cluster:EksControlPlane", "cluster"],
    ["aws:iam/role:Role", "platform:cluster:EksControlPlane", "cluster"],
    ["azure-native:containerservice:ManagedCluster", "platform:cluster:AzureAks", "cluster"],
    ["kubernetes:storage.k8s.io/v1:StorageClass", "platform:cluster:AwsCluster", "cluster"],
    ["aws:eks/nodeGroup:NodeGroup", "platform:cluster:EksNodeGroup", "node pools"],
    ["aws:ec2/launchTemplate:LaunchTemplate", "platform:cluster:EksNodeGroup", "node pools"],
    ["azure-native:containerservice:AgentPool", "platform:cluster:AzureAks", "node pools"],
    ["aws:ecr/repository:Repository", "platform:cluster:EcrRegistry", "registry"],
    ["azure-native:containerregistry:Registry", "platform:cluster:AzureRegistry", "registry"],
    ["docker-build:index:Image", "platform:image:AppImage", "registry"],
    ["aws:elasticache/replicationGroup:ReplicationGroup", "platform:cluster:AwsManagedData", "data"],
    ["aws:rds/instance:Instance", "platform:cluster:AwsManagedData", "data"],
    ["aws:ec2/securityGroup:SecurityGroup", "platform:cluster:AwsManagedData", "data"],
    ["azure-native:dbforpostgresql:Server", "platform:cluster:AzureData", "data"],
    ["kubernetes:apps/v1:StatefulSet", "platform:data:InClusterData", "data"],
    ["pulumi-nodejs:dynamic/platform:SwarmService", "platform:data:SwarmData", "data"],
    ["kubernetes:apps/v1:Deployment", "platform:app:KubernetesApp", "app"],
    ["kubernetes:apps/v1:Deployment", "platform:cluster:ClusterAutoscaler", "cluster"],
    ["kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", "platform:cluster:VpaRecommender", "cluster"],
    ["kubernetes:core/v1:Service", "platform:app:KubernetesApp", "app"],
    ["pulumi-nodejs:dynamic/platform:SwarmService", "platform:app:SwarmApp", "app"],
    ["gcp:compute/instance:Instance", "pulumi:pulumi:Stack", "other"],
];

const res = (type: string, name: string, inputs: Record<string, unknown> = {}, parentType = "pulumi:pulumi:Stack"): PlannedResource => ({
    type,
    name,
    parentType,
    custom: true,
    inputs,
});

describe("compare classify and plan", () => {
    for (const [type, parent, kind] of KNOWN) {
        it(`classifies ${type} under ${parent} as ${kind}`, () => {
            assert.strictEqual(classify(type, parent), kind);
        });
    }

    /** An EKS run's registrations: a 3..9 node group, two NAT gateways, an NLB, Multi-AZ RDS. */
    const AWS_RUN = [
        res("pulumi:providers:aws", "aws", { region: "eu-west-1" }),
        res("aws:eks/cluster:Cluster", "eks", { version: "1.33" }),
        res("aws:eks/nodeGroup:NodeGroup", "ng", {
            instanceTypes: ["m6i.large"],
            scalingConfig: { minSize: 3, maxSize: 9, desiredSize: 3 },
        }),
        res("aws:ec2/natGateway:NatGateway", "nat-0"),
        res("aws:ec2/natGateway:NatGateway", "nat-1"),
        res("kubernetes:core/v1:Service", "web", {
            metadata: { annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" } },
            spec: { type: "LoadBalancer" },
        }),
        res("kubernetes:core/v1:Service", "internal", { spec: { type: "ClusterIP" } }),
        res("aws:rds/instance:Instance", "pg", {
            instanceClass: "db.t4g.medium",
            multiAz: true,
            allocatedStorage: 50,
            storageType: "gp3",
        }),
    ];

    it("plans an AWS run: node group scaling, NAT gateways, NLB, Multi-AZ RDS counted twice", () => {
        const plan = buildPlan("aws", AWS_RUN);
        const r = "aws:eu-west-1:";
        assert.deepStrictEqual(
            plan.usages.map((u) => [u.item, u.min, u.max]),
            [
                [`${r}eks:cluster`, 1, 1],
                [`${r}ec2:m6i.large`, 3, 9],
                [`${r}nat-gateway`, 2, 2],
                [`${r}elb:nlb`, 1, 1],
                [`${r}rds-postgres:db.t4g.medium`, 2, 2],
                [`${r}rds-storage:gp3`, 100, 100],
            ],
        );
        assert.deepStrictEqual(plan.nodePools, [{ name: "ng", machine: "m6i.large", min: 3, max: 9 }]);
        assert.strictEqual(plan.kubernetesVersion, "1.33");
        assert.deepStrictEqual(plan.features, {
            managedRedis: false,
            managedPostgres: true,
            podAutoscaling: false,
            nodeAutoscaling: false,
            cloudLoadBalancer: true,
            verticalRecommendations: false,
        });
        assert.strictEqual(plan.counts.network, 2);
    });

    it("credits autoscaling on EKS only where something acts: an HPA with metrics-server, node bounds with a cluster autoscaler", () => {
        const hpa = res("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "web-hpa");
        assert.deepStrictEqual(
            [buildPlan("aws", [...AWS_RUN, hpa]).features.podAutoscaling, buildPlan("aws", AWS_RUN).features.nodeAutoscaling],
            [false, false],
            "an HPA with no metrics, or min < max with no autoscaler, scales nothing",
        );
        const acted = buildPlan("aws", [
            ...AWS_RUN,
            hpa,
            res("aws:eks/addon:Addon", "metrics", { addonName: "metrics-server" }),
            res("kubernetes:apps/v1:Deployment", "ca", { metadata: { name: "cluster-autoscaler" } }),
        ]);
        assert.deepStrictEqual([acted.features.podAutoscaling, acted.features.nodeAutoscaling], [true, true]);
    });

    it("names what scales on EKS: the metrics-server add-on version, the autoscaler's tag and pool bounds, the recommender", () => {
        const container = (image: string) => ({ spec: { template: { spec: { containers: [{ image }] } } } });
        const plan = buildPlan("aws", [
            ...AWS_RUN,
            res("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "web-hpa"),
            res("kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler", "web-vpa"),
            res("aws:eks/addon:Addon", "metrics", { addonName: "metrics-server", addonVersion: "v0.8.0-eksbuild.2" }),
            res("kubernetes:apps/v1:Deployment", "ca", {
                metadata: { name: "cluster-autoscaler" },
                ...container(`registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.1@sha256:${"0".repeat(64)}`),
            }),
            res("kubernetes:apps/v1:Deployment", "vpa", {
                metadata: { name: "vpa-recommender" },
                ...container(`registry.k8s.io/autoscaling/vpa-recommender:1.4.2@sha256:${"1".repeat(64)}`),
            }),
        ]);
        assert.deepStrictEqual(plan.scaling, {
            hpas: 1,
            vpas: 1,
            metricsSource: "the metrics-server EKS add-on v0.8.0-eksbuild.2",
            nodeAutoscaler: "Cluster Autoscaler v1.33.1 (ng 3–9)",
            recommender: "vpa-recommender 1.4.2",
        });
        assert.strictEqual(plan.features.verticalRecommendations, true);
        const withoutRecommender = buildPlan("aws", [...AWS_RUN, res("kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler", "web-vpa")]);
        assert.strictEqual(withoutRecommender.features.verticalRecommendations, false, "a VPA nobody reads recommends nothing");
    });

    it("credits AKS's managed VPA only when the cluster enables it", () => {
        const aks = (enabled: boolean) =>
            res("azure-native:containerservice:ManagedCluster", "aks", {
                workloadAutoScalerProfile: { verticalPodAutoscaler: { enabled } },
            });
        const vpa = res("kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler", "web-vpa");
        assert.strictEqual(buildPlan("azure", [aks(true), vpa]).scaling.recommender, "AKS's managed VPA");
        assert.strictEqual(buildPlan("azure", [aks(false), vpa]).scaling.recommender, undefined);
        assert.strictEqual(buildPlan("azure", [aks(false)]).scaling.metricsSource, "AKS's built-in metrics-server");
    });

    it("credits the embedded platform's metrics-server and recommender on local only for its context, and says it assumes them", () => {
        const local = (context: string) => [
            res("pulumi:providers:kubernetes", "local-k8s", { context }),
            res("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "web-hpa"),
        ];
        const embedded = buildPlan("local", local("platform-local"));
        assert.match(
            embedded.scaling.metricsSource ?? "",
            /^metrics-server \(run by the embedded platform: assumed for context platform-local/,
        );
        assert.match(embedded.scaling.recommender ?? "", /^the VPA recommender \(run by the embedded platform/);
        assert.strictEqual(embedded.features.podAutoscaling, true);
        const other = buildPlan("local", local("kind-dev"));
        assert.deepStrictEqual(
            [other.scaling.metricsSource, other.scaling.recommender, other.features.podAutoscaling],
            [undefined, undefined, false],
        );
    });

    it("plans an Azure run: fixed system pool, autoscaled user pool, Redis SKU, control-plane tier", () => {
        const plan = buildPlan("azure", [
            res("pulumi:providers:azure-native", "azure", { location: "westeurope" }),
            res("azure-native:containerservice:ManagedCluster", "aks", {
                kubernetesVersion: "1.33",
                sku: { name: "Base", tier: "Free" },
                agentPoolProfiles: [{ name: "system", vmSize: "Standard_D2s_v5", count: 1, enableAutoScaling: false }],
            }),
            res("azure-native:containerservice:AgentPool", "user", {
                vmSize: "Standard_D4s_v5",
                count: 2,
                enableAutoScaling: true,
                minCount: 2,
                maxCount: 6,
            }),
            res("azure-native:redis:Redis", "cache", { sku: { name: "Basic", family: "C", capacity: 0 } }),
        ]);
        const r = "azure:westeurope:";
        assert.deepStrictEqual(
            plan.usages.map((u) => [u.item, u.min, u.max]),
            [
                [`${r}aks:Free`, 1, 1],
                [`${r}vm:Standard_D2s_v5`, 1, 1],
                [`${r}vm:Standard_D4s_v5`, 2, 6],
                [`${r}redis:Basic_C0`, 1, 1],
            ],
        );
        assert.strictEqual(plan.features.managedRedis, true);
    });

    it("plans nothing to pay for on local and swarm, and counts no providers", () => {
        const plan = buildPlan("swarm", [
            res("pulumi:providers:docker-build", "p"),
            res("pulumi-nodejs:dynamic/platform:SwarmService", "web", {}, "platform:app:SwarmApp"),
        ]);
        assert.deepStrictEqual([plan.usages, plan.nodePools, plan.counts.app, plan.counts.cluster], [[], [], 1, 0]);
    });
});
