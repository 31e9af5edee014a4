/**
 * The EKS metrics-server add-on in recorded registrations. Issue 16 lands in parts: the rule
 * k8s-hpa-metrics-source on one branch, the add-on in components/cluster/aws on another. Tests
 * that are about something else (cost, subnets) run staging with the add-on present either way,
 * so they hold before and after the add-on merges.
 */
import { fakeId, type Registration } from "../../../harness/mocks";

const ADDON = "aws:eks/addon:Addon";

/** Whether the registrations hold an EKS cluster and no metrics-server add-on (staging until the add-on merges). */
export function lacksEksMetricsServer(registrations: readonly Registration[]): boolean {
    return (
        registrations.some((r) => r.type === "aws:eks/cluster:Cluster") &&
        !registrations.some((r) => r.type === ADDON && r.inputs.addonName === "metrics-server")
    );
}

/** The registrations with a metrics-server add-on stand-in added when they have none (unchanged once the program registers one). */
export function withEksMetricsServer(registrations: readonly Registration[]): Registration[] {
    if (!lacksEksMetricsServer(registrations)) return [...registrations];
    const cluster = registrations.find((r) => r.type === "aws:eks/cluster:Cluster")!;
    const name = "test-stand-in-metrics-server";
    return [
        ...registrations,
        {
            type: ADDON,
            name,
            urn: `${cluster.urn.split("::").slice(0, 2).join("::")}::${ADDON}::${name}`,
            parentType: cluster.parentType,
            provider: cluster.provider,
            custom: true,
            inputs: { clusterName: fakeId(cluster.type, cluster.name), addonName: "metrics-server" },
            wireInputs: { clusterName: fakeId(cluster.type, cluster.name), addonName: "metrics-server" },
        },
    ];
}

/** The registrations without any metrics-server add-on. */
export function withoutEksMetricsServer(registrations: readonly Registration[]): Registration[] {
    return registrations.filter((r) => !(r.type === ADDON && r.inputs.addonName === "metrics-server"));
}
