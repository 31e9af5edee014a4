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
     * metrics-server, or one the stack deploys): an HPA without metrics never changes the count.
     */
    readonly podAutoscaling: boolean;
    /**
     * A node pool can grow (max > min) and an autoscaler acts on it (AKS's pool autoscaler, or a
     * cluster autoscaler the stack deploys): bounds alone never add a node.
     */
    readonly nodeAutoscaling: boolean;
    /** Traffic enters through a cloud load balancer (else a node port or published port). */
    readonly cloudLoadBalancer: boolean;
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
    const aks = has(/^azure-native:containerservice:ManagedCluster$/);
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
            podAutoscaling:
                has(/^kubernetes:autoscaling\/v2:HorizontalPodAutoscaler$/) && (aks || deploysNamed(resources, "metrics-server")),
            nodeAutoscaling: pools.some((p) => p.max > p.min) && (aks || deploysNamed(resources, "cluster-autoscaler")),
            cloudLoadBalancer: loadBalancerServices(resources).length > 0,
        },
    };
}
