/**
 * Rules over the stack as a whole: how Kubernetes objects relate (autoscalers and replica
 * counts, disruption budgets, namespace isolation) and how resources reach their cluster.
 */
import type { ResourceRule, StackFinding, StackResourceView, StackRule } from "../rule";
import { arr, at, num, obj, str, strings } from "../values";
import { isEmptySelector, namespaceOf, objectName, selects } from "./kubernetes/selectors";

/** Type tokens of the HorizontalPodAutoscaler versions the pack reads. */
export const HPA_TYPES: readonly string[] = [
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    "kubernetes:autoscaling/v1:HorizontalPodAutoscaler",
    "kubernetes:autoscaling/v2beta2:HorizontalPodAutoscaler",
];
const PDB_TYPES = ["kubernetes:policy/v1:PodDisruptionBudget", "kubernetes:policy/v1beta1:PodDisruptionBudget"];
/** Workloads whose replica count an HPA can own, by the kind an HPA names. */
export const SCALABLE_KINDS: Readonly<Record<string, string>> = {
    "kubernetes:apps/v1:Deployment": "Deployment",
    "kubernetes:apps/v1:StatefulSet": "StatefulSet",
    "kubernetes:apps/v1:ReplicaSet": "ReplicaSet",
    "kubernetes:core/v1:ReplicationController": "ReplicationController",
};

function ofTypes(resources: readonly StackResourceView[], types: readonly string[]): StackResourceView[] {
    return resources.filter((r) => types.includes(r.type));
}

/** The HPAs that scale a workload. */
export function autoscalersOf(workload: StackResourceView, resources: readonly StackResourceView[]): StackResourceView[] {
    const kind = SCALABLE_KINDS[workload.type];
    if (kind === undefined) return [];
    const name = objectName(workload);
    const namespace = namespaceOf(workload.props);
    return ofTypes(resources, HPA_TYPES).filter((hpa) => {
        const target = obj(at(hpa.props, "spec.scaleTargetRef"));
        return str(target.kind) === kind && str(target.name) === name && namespaceOf(hpa.props) === namespace;
    });
}

/**
 * Whether the program (not the API server) sets spec.replicas. Stack policies see a resource's
 * outputs, and a live Deployment's outputs always carry the replicas the API server defaulted
 * or the HPA chose. Server-side apply records who owns each field: when managedFields are
 * there, the program set replicas only if a Pulumi field manager owns `spec.replicas`; before
 * the object exists (a first preview), the outputs are the program's inputs.
 */
export function programSetsReplicas(workload: StackResourceView): boolean {
    const replicas = at(workload.props, "spec.replicas");
    if (replicas === undefined || replicas === null) return false;
    const managedFields = arr(at(workload.props, "metadata.managedFields"));
    if (managedFields.length === 0) return true;
    return managedFields.some((entry) => {
        const manager = str(obj(entry).manager) ?? "";
        return manager.startsWith("pulumi") && at(obj(entry).fieldsV1, "f:spec.f:replicas") !== undefined;
    });
}

/** No workload sets spec.replicas while an HPA scales it. */
export const noReplicasWithHpa: StackRule = {
    kind: "stack",
    name: "k8s-no-replicas-with-hpa",
    description:
        "When an HPA owns a workload's replica count, a spec.replicas in the program resets the count on every `pulumi up`, scaling a loaded service down mid-traffic (kube-linter dangling/hpa checks).",
    remediation: "remove spec.replicas from the workload; set the range with the HPA's minReplicas and maxReplicas",
    check: (resources) =>
        resources
            .filter((r) => SCALABLE_KINDS[r.type] !== undefined && programSetsReplicas(r))
            .flatMap((w) =>
                autoscalersOf(w, resources).map((hpa) => ({
                    urn: w.urn,
                    message: `${SCALABLE_KINDS[w.type]} ${objectName(w)} sets spec.replicas (${String(at(w.props, "spec.replicas"))}) and HPA ${objectName(hpa)} scales it`,
                })),
            ),
};

/** The most replicas a workload can run: its HPA's maximum, else spec.replicas (default 1). */
export function maxReplicas(workload: StackResourceView, resources: readonly StackResourceView[]): number {
    const scaled = autoscalersOf(workload, resources).map((hpa) => num(at(hpa.props, "spec.maxReplicas")) ?? 1);
    if (scaled.length > 0) return Math.max(...scaled);
    return num(at(workload.props, "spec.replicas")) ?? 1;
}

/** Every workload that can run more than one replica has a PodDisruptionBudget. */
export const pdbForReplicatedWorkloads: StackRule = {
    kind: "stack",
    name: "k8s-pdb-for-replicated-workloads",
    description:
        "Without a PodDisruptionBudget a node drain or cluster upgrade may evict every replica at once; a replicated service is replicated so that this never happens (kube-linter pdb checks, Polaris missingPodDisruptionBudget).",
    remediation:
        "add a policy/v1 PodDisruptionBudget in the workload's namespace whose selector matches its pod labels (e.g. maxUnavailable: 1)",
    check: (resources) => {
        const pdbs = ofTypes(resources, PDB_TYPES);
        return resources
            .filter((r) => SCALABLE_KINDS[r.type] !== undefined)
            .flatMap((w): StackFinding[] => {
                const replicas = maxReplicas(w, resources);
                if (replicas <= 1) return [];
                const labels = obj(at(w.props, "spec.template.metadata.labels"));
                const covered = pdbs.some(
                    (pdb) =>
                        namespaceOf(pdb.props) === namespaceOf(w.props) &&
                        !isEmptySelector(at(pdb.props, "spec.selector")) &&
                        selects(at(pdb.props, "spec.selector"), labels),
                );
                return covered
                    ? []
                    : [
                          {
                              urn: w.urn,
                              message: `${SCALABLE_KINDS[w.type]} ${objectName(w)} can run ${replicas} replicas and no PodDisruptionBudget selects its pods`,
                          },
                      ];
            });
    },
};

/** The directions a NetworkPolicy denies for every pod of its namespace. */
export function deniedDirections(policy: StackResourceView): { ingress: boolean; egress: boolean } {
    const spec = obj(policy.props.spec);
    if (!isEmptySelector(spec.podSelector)) return { ingress: false, egress: false };
    // Without policyTypes a policy is Ingress only (plus Egress when it has egress rules, which deny nothing).
    const types = spec.policyTypes === undefined ? ["Ingress"] : strings(spec.policyTypes);
    return {
        ingress: types.includes("Ingress") && arr(spec.ingress).length === 0,
        egress: types.includes("Egress") && arr(spec.egress).length === 0,
    };
}

/** Every namespace the stack creates denies all ingress and egress by default. */
export const namespaceDefaultDeny: StackRule = {
    kind: "stack",
    name: "k8s-namespace-default-deny",
    description:
        "Kubernetes lets every pod talk to every pod unless a NetworkPolicy selects it; a default-deny policy makes each allowed flow explicit, so one compromised pod cannot reach the rest (kube-linter/CIS 5.3.2).",
    remediation:
        "add a NetworkPolicy in the namespace with podSelector: {} and policyTypes: [Ingress, Egress] and no rules, then allow each needed flow",
    check: (resources) => {
        const policies = ofTypes(resources, ["kubernetes:networking.k8s.io/v1:NetworkPolicy"]);
        return ofTypes(resources, ["kubernetes:core/v1:Namespace"]).flatMap((ns): StackFinding[] => {
            const name = objectName(ns);
            const denied = policies.filter((p) => namespaceOf(p.props) === name).map(deniedDirections);
            const missing = [
                denied.some((d) => d.ingress) ? undefined : "ingress",
                denied.some((d) => d.egress) ? undefined : "egress",
            ].filter((d) => d !== undefined);
            return missing.length === 0
                ? []
                : [{ urn: ns.urn, message: `namespace ${name} has no default-deny NetworkPolicy for ${missing.join(" and ")}` }];
        });
    },
};

/** Every Kubernetes resource names its provider; the default provider deploys wherever ~/.kube/config points. */
export const explicitKubernetesProvider: ResourceRule = {
    kind: "resource",
    name: "k8s-explicit-provider",
    description:
        "A Kubernetes resource on the default provider deploys into whatever cluster the operator's ~/.kube/config points at, which can be the wrong environment (DESIGN: one provider passed explicitly).",
    remediation:
        "pass the platform's Kubernetes provider (providers: [cluster.provider]) and keep kubernetes in pulumi:disable-default-providers",
    types: [],
    check: ({ type, provider }) => {
        if (!type.startsWith("kubernetes:") || provider === undefined) return [];
        return /^default(_|$)/.test(provider.name) ? [`uses the default Kubernetes provider (${provider.name})`] : [];
    },
};
