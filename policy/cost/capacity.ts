/**
 * Can the autoscaler reach its maximum? At max scale (every app service at its HPA maximum,
 * in-cluster data, the system pods) the stack's pod requests must fit the allocatable CPU and
 * memory of the schedulable node pools at their maximum size. Node pools and machine sizes come
 * from compare/ (the same plan the estimate prices); reserves from ./nodeReserve.
 */
import { capacity as sizePools } from "../../compare/estimate";
import { PRICE_TABLE } from "../../compare/priceTable";
import type { PriceTable } from "../../compare/prices";
import { cpuMillicores, memoryBytes } from "../../model/quantities";
import type { StackResourceView } from "../rule";
import { objectName } from "../rules/kubernetes/selectors";
import { maxReplicas } from "../rules/stack";
import { arr, at, num, obj, str, strings } from "../values";
import { aksReserve, AKS_DEFAULT_MAX_PODS, EKS_CLUSTER_SYSTEM, eksReserve, NodeReserve } from "./nodeReserve";
import { planOf } from "./stackCost";

const WORKLOAD_TYPES = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:ReplicaSet"];

/** CPU (millicores) and memory (MiB). */
export interface Resources {
    readonly cpuMillicores: number;
    readonly memoryMiB: number;
}

/** A workload at max scale: its pod's requests and how many pods. */
export interface WorkloadDemand extends Resources {
    readonly name: string;
    readonly replicas: number;
    /** Requests of one pod. */
    readonly pod: Resources;
}

/** A schedulable pool at its maximum size. */
export interface PoolSupply {
    readonly name: string;
    readonly machine: string;
    readonly maxNodes: number;
    readonly reserve: NodeReserve;
    /** Allocatable of one node for app pods: machine size minus the reserve. */
    readonly perNode: Resources;
}

/** The outcome of the check for a cluster with sized nodes. */
export interface CapacityCheck {
    readonly target: "aws" | "azure";
    readonly pools: readonly PoolSupply[];
    /** Pools left out because their taints keep app pods off (AKS system pool). */
    readonly excludedPools: readonly string[];
    readonly workloads: readonly WorkloadDemand[];
    /** Cluster-wide system pods that share the pools (CoreDNS on EKS). */
    readonly system: Resources & { readonly what: string };
    readonly demand: Resources;
    readonly supply: Resources;
    /** Machine sizes compare/priceTable.ts does not list (the check cannot size them). */
    readonly unsized: readonly string[];
    readonly fits: boolean;
    /** Why it does not fit (empty when it fits). */
    readonly problems: readonly string[];
}

/** CPU of a Kubernetes quantity ("250m", "1", 0.5) in millicores; 0 when absent or unreadable. */
export function cpuOf(value: unknown): number {
    if (typeof value === "number") return Math.round(value * 1000);
    const q = str(value);
    const m = q === undefined ? Number.NaN : cpuMillicores(q);
    return Number.isFinite(m) ? m : 0;
}

/** Memory of a Kubernetes quantity ("256Mi", "1Gi") in MiB; 0 when absent or unreadable. */
export function memoryOf(value: unknown): number {
    const bytes = typeof value === "number" ? value : memoryBytes(str(value) ?? "");
    return Number.isFinite(bytes) ? bytes / 2 ** 20 : 0;
}

function containerRequests(containers: unknown): Resources[] {
    return arr(containers).map((c) => {
        const requests = obj(at(c, "resources.requests"));
        return { cpuMillicores: cpuOf(requests.cpu), memoryMiB: memoryOf(requests.memory) };
    });
}

/** The requests of one pod of a template: its containers' sum, or its largest init container if larger. */
export function podRequests(podSpec: unknown): Resources {
    const main = containerRequests(at(podSpec, "containers"));
    const init = containerRequests(at(podSpec, "initContainers"));
    const sum = (key: keyof Resources) => main.reduce((total, r) => total + r[key], 0);
    const largest = (key: keyof Resources) => Math.max(0, ...init.map((r) => r[key]));
    return {
        cpuMillicores: Math.max(sum("cpuMillicores"), largest("cpuMillicores")),
        memoryMiB: Math.max(sum("memoryMiB"), largest("memoryMiB")),
    };
}

/** Every workload of the stack at its maximum replica count (HPA maximum, else spec.replicas). */
export function workloadDemand(resources: readonly StackResourceView[]): WorkloadDemand[] {
    return resources
        .filter((r) => WORKLOAD_TYPES.includes(r.type))
        .map((w) => {
            const pod = podRequests(at(w.props, "spec.template.spec"));
            const replicas = maxReplicas(w, resources);
            return { name: objectName(w), replicas, pod, cpuMillicores: pod.cpuMillicores * replicas, memoryMiB: pod.memoryMiB * replicas };
        });
}

interface PoolTraits {
    readonly tainted: boolean;
    readonly maxPods?: number;
}

const blocks = (effect: string) => /^(NoSchedule|NoExecute|NO_SCHEDULE|NO_EXECUTE)$/.test(effect);

/** Taints and max pods per pool, keyed by the pool names compare/plan.ts gives them. */
function poolTraits(resources: readonly StackResourceView[]): Map<string, PoolTraits> {
    const traits = new Map<string, PoolTraits>();
    const azure = (taints: unknown, maxPods: unknown): PoolTraits => ({
        tainted: strings(taints).some((t) => blocks(t.split(":").pop() ?? "")),
        maxPods: num(maxPods),
    });
    for (const r of resources) {
        if (r.type === "aws:eks/nodeGroup:NodeGroup")
            traits.set(r.name, { tainted: arr(r.props.taints).some((t) => blocks(str(obj(t).effect) ?? "")) });
        if (r.type === "azure-native:containerservice:AgentPool") traits.set(r.name, azure(r.props.nodeTaints, r.props.maxPods));
        if (r.type === "azure-native:containerservice:ManagedCluster") {
            for (const profile of arr(r.props.agentPoolProfiles).map(obj))
                traits.set(`${r.name}/${str(profile.name) ?? "pool"}`, azure(profile.nodeTaints, profile.maxPods));
        }
    }
    return traits;
}

const add = (a: Resources, b: Resources): Resources => ({
    cpuMillicores: a.cpuMillicores + b.cpuMillicores,
    memoryMiB: a.memoryMiB + b.memoryMiB,
});
const ZERO: Resources = { cpuMillicores: 0, memoryMiB: 0 };

/** "1.8 vCPU / 3.4 GiB". */
export function resourcesText(r: Resources): string {
    return `${(r.cpuMillicores / 1000).toFixed(2).replace(/\.?0+$/, "")} vCPU / ${(r.memoryMiB / 1024).toFixed(2).replace(/\.?0+$/, "")} GiB`;
}

/** Config keys a user changes to fix capacity on a target. */
const KEYS = {
    aws: { size: "platform:aws.maxClusterSize", machine: "platform:aws.eksNodeInstanceType" },
    azure: { size: "platform:azure.maxClusterSize", machine: "platform:azure.nodeVmSize" },
} as const;

function problemsOf(
    target: "aws" | "azure",
    pools: readonly PoolSupply[],
    workloads: readonly WorkloadDemand[],
    demand: Resources,
    supply: Resources,
): string[] {
    const problems: string[] = [];
    const largestNode = pools.reduce(
        (best, p) => (p.perNode.cpuMillicores * p.perNode.memoryMiB > best.cpuMillicores * best.memoryMiB ? p.perNode : best),
        ZERO,
    );
    for (const w of workloads) {
        if (w.pod.cpuMillicores > largestNode.cpuMillicores || w.pod.memoryMiB > largestNode.memoryMiB) {
            problems.push(
                `a pod of ${w.name} requests ${resourcesText(w.pod)}, more than one node's allocatable ${resourcesText(largestNode)}: it can never be scheduled, at any ${KEYS[target].size}; a larger ${KEYS[target].machine} or smaller requests can`,
            );
        }
    }
    if (demand.cpuMillicores > supply.cpuMillicores || demand.memoryMiB > supply.memoryMiB) {
        const pool = pools[0];
        const needed =
            pool === undefined
                ? 0
                : Math.ceil(Math.max(demand.cpuMillicores / pool.perNode.cpuMillicores, demand.memoryMiB / pool.perNode.memoryMiB));
        const sizing = pools.map((p) => `${p.maxNodes} × ${p.machine} (${p.name})`).join(" + ");
        const oversized = problems.length > 0;
        problems.push(
            `at max scale the pods request ${resourcesText(demand)} but ${sizing} offer ${resourcesText(supply)} allocatable: the autoscaler can never reach its maximum` +
                (oversized || pools.length !== 1 ? "" : `; ${KEYS[target].size}: ${needed} would hold it`),
        );
    }
    return problems;
}

/**
 * Checks the stack's capacity at max scale.
 * @returns undefined when the stack sizes no nodes (local: the nodes are whatever cluster the
 *          kubeconfig reaches; swarm: not Kubernetes), so there is nothing to check.
 */
export function checkCapacity(resources: readonly StackResourceView[], table: PriceTable = PRICE_TABLE): CapacityCheck | undefined {
    const plan = planOf(resources);
    if ((plan.target !== "aws" && plan.target !== "azure") || plan.nodePools.length === 0) return undefined;
    const target = plan.target;
    const traits = poolTraits(resources);
    const unsized = [...new Set(plan.nodePools.filter((p) => !(p.machine in table.machines)).map((p) => p.machine))];
    const sizable = { ...plan, nodePools: plan.nodePools.filter((p) => p.machine in table.machines) };
    const sized = sizePools(sizable, table).pools;
    const excludedPools = sized.filter((p) => traits.get(p.name)?.tainted === true).map((p) => p.name);
    const pools = sized
        .filter((p) => !excludedPools.includes(p.name))
        .map((p): PoolSupply => {
            const reserve =
                target === "aws"
                    ? eksReserve(p.machine, p.vcpu)
                    : aksReserve(p.vcpu, p.memoryGiB, traits.get(p.name)?.maxPods ?? AKS_DEFAULT_MAX_PODS);
            const perNode = { cpuMillicores: p.vcpu * 1000 - reserve.cpuMillicores, memoryMiB: p.memoryGiB * 1024 - reserve.memoryMiB };
            return { name: p.name, machine: p.machine, maxNodes: p.max, reserve, perNode };
        });
    const workloads = workloadDemand(resources);
    const system =
        target === "aws"
            ? { ...EKS_CLUSTER_SYSTEM }
            : { cpuMillicores: 0, memoryMiB: 0, what: "none (system pods run on the tainted system pool)" };
    const demand = workloads.reduce(add, system);
    const supply = pools.reduce(
        (total, p) => add(total, { cpuMillicores: p.perNode.cpuMillicores * p.maxNodes, memoryMiB: p.perNode.memoryMiB * p.maxNodes }),
        ZERO,
    );
    const problems = [
        ...unsized.map(
            (m) =>
                `machine size ${m} is not in compare/priceTable.ts machines, so its allocatable is unknown; add it (vCPU, memory, source)`,
        ),
        ...problemsOf(target, pools, workloads, demand, supply),
    ];
    return { target, pools, excludedPools, workloads, system, demand, supply, unsized, fits: problems.length === 0, problems };
}

/** One line for reports: fits or not, with the numbers. */
export function capacityVerdict(check: CapacityCheck | undefined, target: string): string {
    if (check === undefined) return target === "local" ? "not sized (local: the nodes are the cluster's own)" : `not sized (${target})`;
    const pools = check.pools.map((p) => `${p.maxNodes} × ${p.machine}`).join(" + ");
    return `${check.fits ? "fits" : "DOES NOT FIT"}: ${resourcesText(check.demand)} requested of ${resourcesText(check.supply)} on ${pools === "" ? "no schedulable pool" : pools}`;
}
