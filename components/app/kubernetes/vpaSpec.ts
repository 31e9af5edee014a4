/**
 * Pure renderer of a service's VerticalPodAutoscaler (autoscaling.k8s.io/v1): recommendations
 * only. The CRD and the recommender come from the platform (the embedded platform and EKS install
 * them, AKS runs its managed VPA); an existing cluster without them needs `platform:app.vpa: off`.
 */
import type * as pulumi from "@pulumi/pulumi";
import { cpuMillicores, memoryBytes } from "../../../model/quantities";
import type { ServiceSpec } from "../../../model/app";

/** API version of the VerticalPodAutoscaler custom resource. */
export const VPA_API_VERSION = "autoscaling.k8s.io/v1";

/** Kind of the VerticalPodAutoscaler custom resource. */
export const VPA_KIND = "VerticalPodAutoscaler";

/** CPU and memory as Kubernetes quantities. */
export interface CpuMemory {
    readonly cpu: string;
    readonly memory: string;
}

/** The VPA spec this program renders (the CRD is not typed by the Kubernetes SDK). */
export interface VpaSpec {
    readonly targetRef: { readonly apiVersion: "apps/v1"; readonly kind: "Deployment"; readonly name: pulumi.Input<string> };
    readonly updatePolicy: { readonly updateMode: "Off" };
    readonly resourcePolicy: {
        readonly containerPolicies: readonly {
            readonly containerName: string;
            readonly controlledResources: readonly ("cpu" | "memory")[];
            readonly minAllowed: CpuMemory;
            readonly maxAllowed: CpuMemory;
        }[];
    };
}

const MIB = 2 ** 20;

/**
 * Bounds of the recommendation for a service's container. At most the configured limit: the
 * target then is always a request that fits under the limits the Deployment sets (the
 * recommender still publishes `uncappedTarget` when the need is larger). At least half the
 * configured request: the HPA measures utilization as a percent of the request, so a request
 * cut further after a quiet week would let one burst push every pod past its target at once.
 */
export function vpaBounds(service: ServiceSpec): { minAllowed: CpuMemory; maxAllowed: CpuMemory } {
    const minCpu = Math.max(1, Math.floor(cpuMillicores(service.cpu.request) / 2));
    const minMemory = Math.max(1, Math.floor(memoryBytes(service.memory.request) / 2 / MIB));
    return {
        minAllowed: { cpu: `${minCpu}m`, memory: `${minMemory}Mi` },
        maxAllowed: { cpu: service.cpu.limit, memory: service.memory.limit },
    };
}

/**
 * The VPA spec: targets the service's Deployment with `updateMode: "Off"`, so the recommender
 * publishes CPU and memory recommendations for the app container and never evicts or resizes a
 * pod (the HPA scales the same pods on CPU and memory; a VPA applying its numbers would fight it).
 */
export function vpaSpec(service: ServiceSpec, deploymentName: pulumi.Input<string>): VpaSpec {
    return {
        targetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deploymentName },
        updatePolicy: { updateMode: "Off" },
        resourcePolicy: {
            containerPolicies: [{ containerName: service.name, controlledResources: ["cpu", "memory"], ...vpaBounds(service) }],
        },
    };
}
