/**
 * Node pools: the system pool (inline in the managed cluster, critical add-ons only) and the
 * user pool the app runs on (a separate AgentPool: AKS refuses new inline pools on a live cluster).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { AzureSettings } from "../../../model/targets";

/** Name of the inline system pool (AKS: lowercase alphanumeric, at most 12 characters). */
export const SYSTEM_POOL_NAME = "system";
/** Name of the user pool. */
export const USER_POOL_NAME = "user";

/** Taint that keeps everything but critical add-ons off the system pool (what onlyCriticalAddonsEnabled sets). */
export const CRITICAL_ADDONS_ONLY_TAINT = "CriticalAddonsOnly=true:NoSchedule";

/**
 * Properties the cluster autoscaler (and manual `az aks scale`) owns after creation; `pulumi up`
 * must never set them back. Paths on the managed cluster and on an AgentPool.
 */
export const CLUSTER_COUNT_IGNORE = ["agentPoolProfiles[*].count"] as const;
/** See {@link CLUSTER_COUNT_IGNORE}: the same for a separate AgentPool. */
export const POOL_COUNT_IGNORE = ["count"] as const;

/** Where pool nodes and pods take their addresses. */
export interface PoolSubnets {
    readonly nodes: pulumi.Input<string>;
    readonly pods: pulumi.Input<string>;
}

type PoolSettings = Pick<
    AzureSettings,
    "kubernetesVersion" | "systemPool" | "nodeVmSize" | "availabilityZones" | "minClusterSize" | "maxClusterSize" | "desiredClusterSize"
>;

function zones(settings: PoolSettings): string[] | undefined {
    return settings.availabilityZones.length === 0 ? undefined : [...settings.availabilityZones];
}

/** The inline system pool of the managed cluster. */
export function systemPoolProfile(settings: PoolSettings, subnets: PoolSubnets) {
    return {
        name: SYSTEM_POOL_NAME,
        mode: "System",
        osType: "Linux",
        type: "VirtualMachineScaleSets",
        vmSize: settings.systemPool.vmSize,
        count: settings.systemPool.count,
        enableAutoScaling: false,
        nodeTaints: [CRITICAL_ADDONS_ONLY_TAINT],
        enableNodePublicIP: false,
        availabilityZones: zones(settings),
        orchestratorVersion: settings.kubernetesVersion,
        vnetSubnetID: subnets.nodes,
        podSubnetID: subnets.pods,
    };
}

/** The user pool (autoscaled between min and max, starting at the desired size). */
export function userPoolProperties(settings: PoolSettings, subnets: PoolSubnets) {
    return {
        agentPoolName: USER_POOL_NAME,
        mode: "User",
        osType: "Linux",
        type: "VirtualMachineScaleSets",
        vmSize: settings.nodeVmSize,
        count: settings.desiredClusterSize,
        enableAutoScaling: true,
        minCount: settings.minClusterSize,
        maxCount: settings.maxClusterSize,
        enableNodePublicIP: false,
        availabilityZones: zones(settings),
        orchestratorVersion: settings.kubernetesVersion,
        vnetSubnetID: subnets.nodes,
        podSubnetID: subnets.pods,
        upgradeSettings: { maxSurge: "33%" },
    };
}
