/**
 * Registrations of one mocked run → a resource plan: what gets created (counts by kind), the
 * node pools, and every priced usage (item key + quantity at min and max scale). Pure.
 */
import { classify, emptyCounts, KindCounts } from "./classify";
import type { Cloud } from "../model/targets";

/** The fields of a recorded registration the plan reads. */
export interface PlannedResource {
    readonly type: string;
    readonly name: string;
    readonly parentType: string;
    readonly custom: boolean;
    readonly inputs: Record<string, unknown>;
}

/** A group of identical nodes, sized between min and max by an autoscaler (min = max when fixed). */
export interface NodePool {
    readonly name: string;
    /** Instance type or VM size. */
    readonly machine: string;
    readonly min: number;
    readonly max: number;
}

/** Something the plan pays for: `min`/`max` units of the price line `item`. */
export interface Usage {
    /** Price-table key, `<cloud>:<region>:<service>[:<size>]`. */
    readonly item: string;
    /** What in the stack uses it. */
    readonly what: string;
    readonly min: number;
    readonly max: number;
}

/** What the target provides for the app, as read from the registrations. */
export interface Features {
    readonly managedRedis: boolean;
    readonly managedPostgres: boolean;
    /**
     * A HorizontalPodAutoscaler scales replicas and a metrics source feeds it (AKS's built-in
     * metrics-server, one the stack deploys, or the embedded local platform's): an HPA without
     * metrics never changes the count.
     */
    readonly podAutoscaling: boolean;
    /**
     * A node pool can grow (max > min) and an autoscaler acts on it (AKS's pool autoscaler, or a
     * cluster autoscaler the stack deploys): bounds alone never add a node.
     */
    readonly nodeAutoscaling: boolean;
    /** Traffic enters through a cloud load balancer (else a node port or published port). */
    readonly cloudLoadBalancer: boolean;
    /** VerticalPodAutoscalers exist and a recommender turns them into recommendations. */
    readonly verticalRecommendations: boolean;
}

/** What scales the app on a target, each part as the phrase the report prints. */
export interface Scaling {
    /** HorizontalPodAutoscalers the stack renders. */
    readonly hpas: number;
    /** VerticalPodAutoscalers the stack renders. */
    readonly vpas: number;
    /** What serves the metrics API the HPA and the recommender read; undefined when nothing the report can see does. */
    readonly metricsSource?: string;
    /** What resizes node pools between min and max; undefined when nothing does. */
    readonly nodeAutoscaler?: string;
    /** What writes recommendations into VerticalPodAutoscalers; undefined when nothing does. */
    readonly recommender?: string;
}

/** The counts, sizes and usages of one target's run; the input of the estimate. */
export interface ResourcePlan {
    readonly target: Cloud;
    /** Cloud region, undefined on local and swarm. */
    readonly region?: string;
    /** Kubernetes version the cluster is created with, when the registrations name it. */
    readonly kubernetesVersion?: string;
    /** Custom resources (providers excluded) by kind. */
    readonly counts: KindCounts;
    readonly nodePools: readonly NodePool[];
    readonly usages: readonly Usage[];
    readonly features: Features;
    readonly scaling: Scaling;
}

type Inputs = Record<string, unknown>;

function obj(value: unknown): Inputs {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Inputs) : {};
}

function num(value: unknown, fallback: number): number {
    return typeof value === "number" ? value : fallback;
}

function str(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

function ofType(resources: readonly PlannedResource[], type: string): PlannedResource[] {
    return resources.filter((r) => r.type === type);
}

function fixed(item: string, what: string, count: number): Usage {
    return { item, what, min: count, max: count };
}

function awsUsages(resources: readonly PlannedResource[], region: string, pools: NodePool[]): Usage[] {
    const key = (rest: string) => `aws:${region}:${rest}`;
    const usages: Usage[] = [];
    for (const cluster of ofType(resources, "aws:eks/cluster:Cluster"))
        usages.push(fixed(key("eks:cluster"), `EKS control plane ${cluster.name}`, 1));
    for (const group of ofType(resources, "aws:eks/nodeGroup:NodeGroup")) {
        const scaling = obj(group.inputs.scalingConfig);
        const types = Array.isArray(group.inputs.instanceTypes) ? group.inputs.instanceTypes : [];
        const machine = str(types[0]) ?? "t3.medium";
        const pool = { name: group.name, machine, min: num(scaling.minSize, 1), max: num(scaling.maxSize, 1) };
        pools.push(pool);
        usages.push({ item: key(`ec2:${machine}`), what: `nodes of ${group.name}`, min: pool.min, max: pool.max });
    }
    const nats = ofType(resources, "aws:ec2/natGateway:NatGateway").length;
    if (nats > 0) usages.push(fixed(key("nat-gateway"), `${nats} NAT gateway(s)`, nats));
    for (const service of loadBalancerServices(resources)) {
        const annotations = obj(obj(service.inputs.metadata).annotations);
        const kind = annotations["service.beta.kubernetes.io/aws-load-balancer-type"] === "nlb" ? "nlb" : "clb";
        usages.push(fixed(key(`elb:${kind}`), `load balancer of Service ${service.name}`, 1));
    }
    for (const redis of ofType(resources, "aws:elasticache/replicationGroup:ReplicationGroup")) {
        usages.push(
            fixed(key(`elasticache:${str(redis.inputs.nodeType) ?? "?"}`), `Redis ${redis.name}`, num(redis.inputs.numCacheClusters, 1)),
        );
    }
    for (const db of ofType(resources, "aws:rds/instance:Instance")) {
        const copies = db.inputs.multiAz === true ? 2 : 1;
        usages.push(fixed(key(`rds-postgres:${str(db.inputs.instanceClass) ?? "?"}`), `PostgreSQL ${db.name}`, copies));
        usages.push(
            fixed(
                key(`rds-storage:${str(db.inputs.storageType) ?? "gp2"}`),
                `storage of ${db.name} (GB)`,
                num(db.inputs.allocatedStorage, 20) * copies,
            ),
        );
    }
    return usages;
}

function azurePool(name: string, profile: Inputs): NodePool {
    const machine = str(profile.vmSize) ?? "?";
    const count = num(profile.count, 1);
    if (profile.enableAutoScaling === true) return { name, machine, min: num(profile.minCount, count), max: num(profile.maxCount, count) };
    return { name, machine, min: count, max: count };
}

function azureUsages(resources: readonly PlannedResource[], region: string, pools: NodePool[]): Usage[] {
    const key = (rest: string) => `azure:${region}:${rest}`;
    const usages: Usage[] = [];
    for (const cluster of ofType(resources, "azure-native:containerservice:ManagedCluster")) {
        usages.push(fixed(key(`aks:${str(obj(cluster.inputs.sku).tier) ?? "Free"}`), `AKS control plane ${cluster.name}`, 1));
        const profiles = Array.isArray(cluster.inputs.agentPoolProfiles) ? cluster.inputs.agentPoolProfiles : [];
        for (const profile of profiles.map(obj)) pools.push(azurePool(`${cluster.name}/${str(profile.name) ?? "pool"}`, profile));
    }
    for (const pool of ofType(resources, "azure-native:containerservice:AgentPool")) pools.push(azurePool(pool.name, pool.inputs));
    for (const pool of pools) usages.push({ item: key(`vm:${pool.machine}`), what: `nodes of ${pool.name}`, min: pool.min, max: pool.max });
    for (const service of loadBalancerServices(resources))
        usages.push(fixed(key("lb:standard"), `load balancer rules of Service ${service.name}`, 1));
    for (const redis of ofType(resources, "azure-native:redis:Redis")) {
        const sku = obj(redis.inputs.sku);
        usages.push(fixed(key(`redis:${str(sku.name) ?? "?"}_${str(sku.family) ?? "?"}${num(sku.capacity, 0)}`), `Redis ${redis.name}`, 1));
    }
    for (const server of ofType(resources, "azure-native:dbforpostgresql:Server")) {
        const copies =
            str(obj(server.inputs.highAvailability).mode) === "ZoneRedundant" ||
            str(obj(server.inputs.highAvailability).mode) === "SameZone"
                ? 2
                : 1;
        usages.push(fixed(key(`pg-flex:${str(obj(server.inputs.sku).name) ?? "?"}`), `PostgreSQL ${server.name}`, copies));
        usages.push(
            fixed(key("pg-flex-storage"), `storage of ${server.name} (GB)`, num(obj(server.inputs.storage).storageSizeGB, 32) * copies),
        );
    }
    return usages;
}

function loadBalancerServices(resources: readonly PlannedResource[]): PlannedResource[] {
    return ofType(resources, "kubernetes:core/v1:Service").filter((s) => obj(s.inputs.spec).type === "LoadBalancer");
}

function providerInput(resources: readonly PlannedResource[], type: string, key: string): string | undefined {
    return str(resources.find((r) => r.type === type)?.inputs[key]);
}

function kubernetesVersion(resources: readonly PlannedResource[]): string | undefined {
    return (
        str(resources.find((r) => r.type === "aws:eks/cluster:Cluster")?.inputs.version) ??
        str(resources.find((r) => r.type === "azure-native:containerservice:ManagedCluster")?.inputs.kubernetesVersion)
    );
}

/**
 * Whether the stack runs `name` itself: an EKS add-on of that name, or a Kubernetes Deployment
 * (a Helm release's or the program's) called so.
 */
function deploysNamed(resources: readonly PlannedResource[], name: string): boolean {
    return resources.some(
        (r) =>
            (r.type === "aws:eks/addon:Addon" && str(r.inputs.addonName) === name) ||
            (r.type === "kubernetes:apps/v1:Deployment" && str((r.inputs.metadata as { name?: unknown } | undefined)?.name) === name),
    );
}

/** Context of the embedded local platform's kubeconfig (`npm run up` writes it; platform/stack.sh). */
export const EMBEDDED_PLATFORM_CONTEXT = "platform-local";

/** The tag of a Deployment's first container image ("v1.33.1"), if it has one. */
function deploymentImageTag(resources: readonly PlannedResource[], name: string): string | undefined {
    const deployment = resources.find(
        (r) => r.type === "kubernetes:apps/v1:Deployment" && str((r.inputs.metadata as { name?: unknown } | undefined)?.name) === name,
    );
    const containers = obj(obj(obj(deployment?.inputs.spec).template).spec).containers;
    const image = str(obj(Array.isArray(containers) ? containers[0] : undefined).image);
    const ref = image?.slice(image.lastIndexOf("/") + 1).split("@")[0];
    return ref === undefined ? undefined : /:([\w][\w.-]*)$/.exec(ref)?.[1];
}

function tagged(what: string, tag: string | undefined): string {
    return tag === undefined ? what : `${what} ${tag}`;
}

/**
 * What scales the app: read from the registrations for the clouds. The local target's cluster
 * is not provisioned, so a preview cannot see what it runs: the embedded platform (reached
 * through context platform-local) runs metrics-server and the VPA recommender, and the report
 * credits them only for that context, saying so; any other cluster is the user's to equip.
 */
function scalingOf(target: Cloud, resources: readonly PlannedResource[], pools: readonly NodePool[]): Scaling {
    const count = (type: string) => resources.filter((r) => r.type === type).length;
    const hpas = count("kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
    const vpas = count("kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler");
    const aks = resources.find((r) => r.type === "azure-native:containerservice:ManagedCluster");
    const embedded = target === "local" && providerInput(resources, "pulumi:providers:kubernetes", "context") === EMBEDDED_PLATFORM_CONTEXT;
    const embeddedNote = `(run by the embedded platform: assumed for context ${EMBEDDED_PLATFORM_CONTEXT}, a preview cannot see the cluster)`;
    const growing = pools.filter((p) => p.max > p.min);

    const metricsAddon = resources.find((r) => r.type === "aws:eks/addon:Addon" && str(r.inputs.addonName) === "metrics-server");
    const metricsSource = aks
        ? "AKS's built-in metrics-server"
        : metricsAddon
          ? tagged("the metrics-server EKS add-on", str(metricsAddon.inputs.addonVersion))
          : deploysNamed(resources, "metrics-server")
            ? tagged("a metrics-server Deployment", deploymentImageTag(resources, "metrics-server"))
            : embedded
              ? `metrics-server ${embeddedNote}`
              : undefined;

    const sized = growing.map((p) => `${p.name} ${p.min}–${p.max}`).join(", ");
    const nodeAutoscaler =
        growing.length === 0
            ? undefined
            : aks
              ? `AKS's cluster autoscaler (${sized})`
              : deploysNamed(resources, "cluster-autoscaler")
                ? `${tagged("Cluster Autoscaler", deploymentImageTag(resources, "cluster-autoscaler"))} (${sized})`
                : undefined;

    const vpaEnabled = obj(obj(aks?.inputs.workloadAutoScalerProfile).verticalPodAutoscaler).enabled === true;
    const recommender = vpaEnabled
        ? "AKS's managed VPA"
        : deploysNamed(resources, "vpa-recommender")
          ? tagged("vpa-recommender", deploymentImageTag(resources, "vpa-recommender"))
          : embedded
            ? `the VPA recommender ${embeddedNote}`
            : undefined;
    return { hpas, vpas, metricsSource, nodeAutoscaler, recommender };
}

/** Builds the plan of `target` from the resources its mocked run registered. */
export function buildPlan(target: Cloud, resources: readonly PlannedResource[]): ResourcePlan {
    const counts = emptyCounts();
    for (const r of resources) if (r.custom && !r.type.startsWith("pulumi:providers:")) counts[classify(r.type, r.parentType)]++;
    const pools: NodePool[] = [];
    let region: string | undefined;
    let usages: Usage[] = [];
    if (target === "aws") {
        region = providerInput(resources, "pulumi:providers:aws", "region") ?? "unknown-region";
        usages = awsUsages(resources, region, pools);
    } else if (target === "azure") {
        region = providerInput(resources, "pulumi:providers:azure-native", "location") ?? "unknown-region";
        usages = azureUsages(resources, region, pools);
    }
    const has = (pattern: RegExp) => resources.some((r) => pattern.test(r.type));
    const scaling = scalingOf(target, resources, pools);
    return {
        target,
        region,
        kubernetesVersion: kubernetesVersion(resources),
        counts,
        nodePools: pools,
        usages,
        features: {
            managedRedis: has(/^aws:elasticache\/replicationGroup:|^azure-native:redis:Redis$/),
            managedPostgres: has(/^aws:rds\/instance:|^azure-native:dbforpostgresql:Server$/),
            podAutoscaling: scaling.hpas > 0 && scaling.metricsSource !== undefined,
            nodeAutoscaling: scaling.nodeAutoscaler !== undefined,
            cloudLoadBalancer: loadBalancerServices(resources).length > 0,
            verticalRecommendations: scaling.vpas > 0 && scaling.recommender !== undefined,
        },
        scaling,
    };
}
