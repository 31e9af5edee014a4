/**
 * What a node keeps for itself: the kubelet's and the system's reservation (kube-reserved plus
 * the hard eviction threshold, by each managed service's published formula) and the requests
 * of the add-on DaemonSets that run on every node. Allocatable for the app = machine size minus
 * this. Numbers and where they come from are listed in docs/policy.md ("Capacity").
 */

/** CPU and memory a node keeps from the app, with the basis a reviewer can check. */
export interface NodeReserve {
    readonly cpuMillicores: number;
    readonly memoryMiB: number;
    /** How the numbers were computed, e.g. "EKS AMI kube-reserved for 17 pods + eviction 100Mi + DaemonSets". */
    readonly basis: string;
}

/** Hard eviction threshold both EKS and AKS (1.29+) set: memory.available<100Mi. */
export const EVICTION_MEMORY_MIB = 100;

/**
 * Pods per node on EKS with the VPC CNI: ENIs × (IPv4 per ENI − 1) + 2 (the AMI's
 * eni-max-pods.txt), for the instance types the price table sizes.
 */
export const EKS_MAX_PODS: Readonly<Record<string, number>> = {
    "t3.small": 11,
    "t3.medium": 17,
    "t3.large": 35,
    "t3.xlarge": 58,
    "m6i.large": 29,
    "m6i.xlarge": 58,
    "m7g.large": 29,
};

/** EKS pods per node when the instance type is not in {@link EKS_MAX_PODS}: the kubelet default. */
export const EKS_DEFAULT_MAX_PODS = 110;

/**
 * Requests of the EKS add-on DaemonSets on every node, as their add-on manifests set them:
 * vpc-cni aws-node 25m CPU, kube-proxy 100m CPU, ebs-csi-node 3 containers × (10m, 40Mi).
 */
export const EKS_DAEMONSETS = { cpuMillicores: 25 + 100 + 30, memoryMiB: 120 } as const;

/** Cluster-wide system pods that land on the EKS node group: CoreDNS, 2 replicas × (100m, 70Mi). */
export const EKS_CLUSTER_SYSTEM = { cpuMillicores: 200, memoryMiB: 140, what: "CoreDNS 2 × (100m, 70Mi)" } as const;

/**
 * Allowance for the AKS DaemonSets on every user-pool node (Cilium agent, azure-cns,
 * cloud-node-manager, Azure Disk and File CSI nodes, ama-logs for Container Insights): a round,
 * conservative allowance, not a measurement. System pods (CoreDNS, metrics-server, konnectivity)
 * run on the system pool, which is tainted CriticalAddonsOnly.
 */
export const AKS_DAEMONSETS = { cpuMillicores: 300, memoryMiB: 600 } as const;

/** Pods per node on AKS when the pool does not set maxPods: 30, the default with Azure CNI. */
export const AKS_DEFAULT_MAX_PODS = 30;

/** CPU that the EKS AMI reserves (kube-reserved): 6 % of the first core, 1 % of the second, 0.5 % of cores 3–4, 0.25 % above. */
export function eksReservedCpu(vcpu: number): number {
    const share = (from: number, to: number, fraction: number) => Math.max(0, Math.min(vcpu, to) - from) * 1000 * fraction;
    return Math.round(share(0, 1, 0.06) + share(1, 2, 0.01) + share(2, 4, 0.005) + share(4, Infinity, 0.0025));
}

/** EKS node reserve: kube-reserved (AMI formula, memory 11 MiB × max pods + 255 MiB), eviction, add-on DaemonSets. */
export function eksReserve(machine: string, vcpu: number): NodeReserve {
    const pods = EKS_MAX_PODS[machine] ?? EKS_DEFAULT_MAX_PODS;
    return {
        cpuMillicores: eksReservedCpu(vcpu) + EKS_DAEMONSETS.cpuMillicores,
        memoryMiB: 11 * pods + 255 + EVICTION_MEMORY_MIB + EKS_DAEMONSETS.memoryMiB,
        basis: `EKS AMI kube-reserved for ${pods} pods + eviction ${EVICTION_MEMORY_MIB}Mi + add-on DaemonSets ${EKS_DAEMONSETS.cpuMillicores}m/${EKS_DAEMONSETS.memoryMiB}Mi`,
    };
}

/** CPU that AKS reserves by core count (kube-reserved table): 1: 60m, 2: 100m, 4: 140m, 8: 180m, 16: 260m, 32: 420m, 64+: 740m. */
export function aksReservedCpu(vcpu: number): number {
    const table: readonly [number, number][] = [
        [1, 60],
        [2, 100],
        [4, 140],
        [8, 180],
        [16, 260],
        [32, 420],
    ];
    return table.find(([cores]) => vcpu <= cores)?.[1] ?? 740;
}

/** AKS (1.29+) node reserve: kube-reserved memory min(20 MiB × max pods + 50 MiB, 25 % of memory), eviction, DaemonSet allowance. */
export function aksReserve(vcpu: number, memoryGiB: number, maxPods: number): NodeReserve {
    const kubeReserved = Math.min(20 * maxPods + 50, 0.25 * memoryGiB * 1024);
    return {
        cpuMillicores: aksReservedCpu(vcpu) + AKS_DAEMONSETS.cpuMillicores,
        memoryMiB: Math.round(kubeReserved + EVICTION_MEMORY_MIB + AKS_DAEMONSETS.memoryMiB),
        basis: `AKS kube-reserved for ${maxPods} pods + eviction ${EVICTION_MEMORY_MIB}Mi + DaemonSet allowance ${AKS_DAEMONSETS.cpuMillicores}m/${AKS_DAEMONSETS.memoryMiB}Mi`,
    };
}
