/**
 * Rules over the stack's autoscalers: an HPA needs the metrics it scales on to exist on the
 * platform, and a VerticalPodAutoscaler that applies its numbers must not resize what an HPA
 * scales on.
 */
import type { StackFinding, StackResourceView, StackRule } from "../rule";
import { arr, at, obj, str, strings } from "../values";
import { namespaceOf, objectName } from "./kubernetes/selectors";
import { HPA_TYPES, SCALABLE_KINDS } from "./stack";

/** Type tokens of the VerticalPodAutoscaler custom resource versions the pack reads. */
export const VPA_TYPES: readonly string[] = [
    "kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler",
    "kubernetes:autoscaling.k8s.io/v1beta2:VerticalPodAutoscaler",
];

const EKS_CLUSTER = "aws:eks/cluster:Cluster";
const EKS_ADDON = "aws:eks/addon:Addon";
const AKS_CLUSTER = "azure-native:containerservice:ManagedCluster";
const METRICS_SERVER = "metrics-server";

/** The resources an HPA takes from the resource metrics API (metrics.k8s.io), e.g. ["cpu", "memory"]. */
export function resourceMetricsOf(hpa: StackResourceView): string[] {
    // autoscaling/v1 scales on CPU only; a v2 HPA without metrics defaults to 80 % average CPU.
    if (hpa.type === "kubernetes:autoscaling/v1:HorizontalPodAutoscaler") return ["cpu"];
    const metrics = arr(at(hpa.props, "spec.metrics")).map(obj);
    if (metrics.length === 0) return ["cpu"];
    const names = metrics.flatMap((m) => {
        if (str(m.type) === "Resource") return [str(at(m, "resource.name"))];
        if (str(m.type) === "ContainerResource") return [str(at(m, "containerResource.name"))];
        return [];
    });
    return [...new Set(names.filter((n): n is string => n !== undefined))];
}

/** What serves the resource metrics API on the stack's platform, as the stack's resources show it. */
export type ResourceMetricsSource =
    | { readonly kind: "provided"; readonly by: string }
    | { readonly kind: "missing"; readonly cluster: StackResourceView }
    /** No cluster in the stack (the local target points at an existing one): nothing to see. */
    | { readonly kind: "not visible" };

/**
 * Where the stack's resource metrics come from: on EKS the metrics-server add-on or a
 * metrics-server Deployment the stack deploys; on AKS metrics-server is built in; a stack that
 * provisions no cluster (local) cannot show what the cluster runs.
 */
export function resourceMetricsSource(resources: readonly StackResourceView[]): ResourceMetricsSource {
    const eks = resources.find((r) => r.type === EKS_CLUSTER);
    if (eks !== undefined) {
        const addon = resources.find((r) => r.type === EKS_ADDON && str(r.props.addonName) === METRICS_SERVER);
        if (addon !== undefined) return { kind: "provided", by: `EKS add-on ${addon.name}` };
        const deployment = resources.find((r) => r.type === "kubernetes:apps/v1:Deployment" && objectName(r) === METRICS_SERVER);
        if (deployment !== undefined) return { kind: "provided", by: `Deployment ${namespaceOf(deployment.props)}/${METRICS_SERVER}` };
        return { kind: "missing", cluster: eks };
    }
    if (resources.some((r) => r.type === AKS_CLUSTER)) return { kind: "provided", by: "AKS (built in)" };
    return { kind: "not visible" };
}

/** An HPA on CPU or memory needs a resource metrics source the platform really runs. */
export const hpaMetricsSource: StackRule = {
    kind: "stack",
    name: "k8s-hpa-metrics-source",
    description:
        "An HPA on CPU or memory reads the resource metrics API (metrics.k8s.io), which only metrics-server (or an equivalent) serves; without it the HPA's targets stay `<unknown>` and it never changes the replica count, so the scaling the stack declares never happens. AKS runs metrics-server itself; EKS does not until the add-on is installed. The local target provisions no cluster, so this rule cannot see what serves metrics there and passes it: the embedded platform runs metrics-server, an existing cluster must run its own (`kubectl top pods` answers when it does).",
    remediation:
        'on EKS add the metrics-server EKS add-on (aws:eks/addon:Addon with addonName "metrics-server", pinned like the other add-ons) or deploy metrics-server in the stack; on an existing cluster install metrics-server before relying on the HPA',
    check: (resources) => {
        const source = resourceMetricsSource(resources);
        if (source.kind !== "missing") return [];
        return resources
            .filter((r) => HPA_TYPES.includes(r.type))
            .flatMap((hpa): StackFinding[] => {
                const metrics = resourceMetricsOf(hpa);
                if (metrics.length === 0) return [];
                const target = obj(at(hpa.props, "spec.scaleTargetRef"));
                return [
                    {
                        urn: hpa.urn,
                        message: `HPA ${objectName(hpa)} scales ${str(target.kind) ?? "?"} ${str(target.name) ?? "?"} on ${metrics.join(" and ")} but EKS cluster ${source.cluster.name} runs no metrics-server (no ${EKS_ADDON} with addonName ${METRICS_SERVER}, no Deployment named ${METRICS_SERVER}): its targets stay <unknown> and it never scales`,
                    },
                ];
            });
    },
};

/** The update modes that leave pods alone; every other mode (Auto, the default, Recreate, InPlaceOrRecreate, Initial) applies. */
const NON_APPLYING_MODES = new Set(["Off"]);

/** The VPA's update mode, "Auto" when unset (the upstream default). */
export function vpaUpdateMode(vpa: StackResourceView): string {
    return str(at(vpa.props, "spec.updatePolicy.updateMode")) ?? "Auto";
}

/**
 * The resources (cpu, memory) a VPA sets on some container of its target. A container without a
 * policy (and no "*" policy) is controlled on both; a policy with mode Off controls nothing; a
 * policy without controlledResources controls both. With the containers unknown (the target is
 * not in the stack), a container no policy names is assumed too.
 */
export function vpaControlledResources(vpa: StackResourceView, containerNames?: readonly string[]): Set<string> {
    const policies = arr(at(vpa.props, "spec.resourcePolicy.containerPolicies")).map(obj);
    const wildcard = policies.find((p) => str(p.containerName) === "*");
    const named = policies.filter((p) => str(p.containerName) !== "*");
    const effective =
        containerNames === undefined
            ? [...named, wildcard]
            : containerNames.map((name) => named.find((p) => str(p.containerName) === name) ?? wildcard);
    const controlled = new Set<string>();
    for (const policy of effective) {
        if (policy !== undefined && str(policy.mode) === "Off") continue;
        const resources =
            policy === undefined || policy.controlledResources === undefined ? ["cpu", "memory"] : strings(policy.controlledResources);
        for (const resource of resources) controlled.add(resource);
    }
    return controlled;
}

function sameTarget(a: StackResourceView, refA: string, b: StackResourceView, refB: string): boolean {
    const ta = obj(at(a.props, refA));
    const tb = obj(at(b.props, refB));
    return (
        str(ta.kind) !== undefined &&
        str(ta.kind) === str(tb.kind) &&
        str(ta.name) === str(tb.name) &&
        namespaceOf(a.props) === namespaceOf(b.props)
    );
}

function containersOfTarget(vpa: StackResourceView, resources: readonly StackResourceView[]): string[] | undefined {
    const target = obj(at(vpa.props, "spec.targetRef"));
    const workload = resources.find(
        (r) =>
            SCALABLE_KINDS[r.type] === str(target.kind) &&
            objectName(r) === str(target.name) &&
            namespaceOf(r.props) === namespaceOf(vpa.props),
    );
    if (workload === undefined) return undefined;
    return arr(at(workload.props, "spec.template.spec.containers")).map((c) => str(obj(c).name) ?? "");
}

/** No VPA applies CPU or memory to a workload an HPA scales on the same resource. */
export const vpaHpaConflict: StackRule = {
    kind: "stack",
    name: "k8s-vpa-hpa-conflict",
    description:
        "A VerticalPodAutoscaler that applies its numbers (updateMode Auto, the default, Recreate, InPlaceOrRecreate or Initial) changes the requests an HPA on the same CPU or memory measures utilization against: the VPA resizes pods from the usage the HPA spreads by adding pods, each undoes the other, and the workload swings between replica counts and evictions (upstream VPA docs: do not combine them on CPU or memory).",
    remediation:
        "set the VPA's updatePolicy.updateMode to \"Off\" (platform:app.vpa: recommend) and copy its recommendation into the requests, or leave the HPA's resources out of the VPA's controlledResources",
    check: (resources) => {
        const hpas = resources.filter((r) => HPA_TYPES.includes(r.type));
        return resources
            .filter((r) => VPA_TYPES.includes(r.type) && !NON_APPLYING_MODES.has(vpaUpdateMode(r)))
            .flatMap((vpa) => {
                const controlled = vpaControlledResources(vpa, containersOfTarget(vpa, resources));
                return hpas
                    .filter((hpa) => sameTarget(vpa, "spec.targetRef", hpa, "spec.scaleTargetRef"))
                    .flatMap((hpa): StackFinding[] => {
                        const contested = resourceMetricsOf(hpa).filter((m) => (m === "cpu" || m === "memory") && controlled.has(m));
                        if (contested.length === 0) return [];
                        const target = obj(at(vpa.props, "spec.targetRef"));
                        const what = contested.join(" and ");
                        return [
                            {
                                urn: vpa.urn,
                                message: `VPA ${objectName(vpa)} (updateMode ${vpaUpdateMode(vpa)}) applies ${what} requests to ${str(target.kind) ?? "?"} ${str(target.name) ?? "?"}, which HPA ${objectName(hpa)} scales on ${what}: they fight (the VPA resizes the pods whose utilization the HPA counts, the HPA re-counts the pods the VPA resizes)`,
                            },
                        ];
                    });
            });
    },
};

/** The autoscaler rules, in the order reports list them. */
export const AUTOSCALING_RULES: readonly StackRule[] = [hpaMetricsSource, vpaHpaConflict];
