/** The EKS metrics-server add-on taken out of recorded registrations, to see k8s-hpa-metrics-source fire. */
import type { Registration } from "../../../harness/mocks";

const ADDON = "aws:eks/addon:Addon";

/** The registrations without any metrics-server add-on. */
export function withoutEksMetricsServer(registrations: readonly Registration[]): Registration[] {
    return registrations.filter((r) => !(r.type === ADDON && r.inputs.addonName === "metrics-server"));
}
