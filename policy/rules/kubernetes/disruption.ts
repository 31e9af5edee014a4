/**
 * How replicas survive voluntary disruption (drains, upgrades): budgets that allow progress and
 * replicas that do not share one node (kube-linter pdb-* and no-anti-affinity).
 */
import type { ResourceRule, StackFinding, StackResourceView, StackRule } from "../../rule";
import { arr, at, num, obj, str, text } from "../../values";
import { autoscalersOf, maxReplicas, SCALABLE_KINDS } from "../stack";
import { isEmptySelector, namespaceOf, objectName, selects } from "./selectors";

/** PodDisruptionBudget types. */
export const PDB_TYPES: readonly string[] = ["kubernetes:policy/v1:PodDisruptionBudget", "kubernetes:policy/v1beta1:PodDisruptionBudget"];

/** Budgets let not-ready pods be evicted. */
export const pdbUnhealthyPodEviction: ResourceRule = {
    kind: "resource",
    name: "k8s-pdb-unhealthy-pod-eviction",
    description:
        "With the default policy a pod that is running but not ready still counts against the budget, so one crash-looping replica blocks every node drain and cluster upgrade (kube-linter pdb-unhealthy-pod-eviction-policy).",
    remediation: "set spec.unhealthyPodEvictionPolicy: AlwaysAllow",
    types: PDB_TYPES,
    check: ({ props }) =>
        str(at(props, "spec.unhealthyPodEvictionPolicy")) === "AlwaysAllow"
            ? []
            : [`unhealthyPodEvictionPolicy is ${str(at(props, "spec.unhealthyPodEvictionPolicy")) ?? "unset (IfHealthyBudget)"}`],
};

/** The fewest replicas a workload runs: its HPAs' minimum, else spec.replicas (default 1). */
export function minReplicas(workload: StackResourceView, resources: readonly StackResourceView[]): number {
    const scaled = autoscalersOf(workload, resources).map((hpa) => num(at(hpa.props, "spec.minReplicas")) ?? 1);
    if (scaled.length > 0) return Math.min(...scaled);
    return num(at(workload.props, "spec.replicas")) ?? 1;
}

function percent(value: unknown): number | undefined {
    const match = /^(\d+)%$/.exec(str(value) ?? "");
    return match ? Number(match[1]) : undefined;
}

/** Why a budget blocks every eviction of a workload with `replicas` pods, or undefined when it lets one go. */
export function budgetBlocks(spec: unknown, replicas: number): string | undefined {
    const s = obj(spec);
    if (s.maxUnavailable !== undefined) {
        const p = percent(s.maxUnavailable);
        const n = p !== undefined ? Math.floor((p * replicas) / 100) : num(s.maxUnavailable);
        return n === 0 ? `maxUnavailable ${text(s.maxUnavailable)} allows no pod to be evicted` : undefined;
    }
    if (s.minAvailable !== undefined) {
        const p = percent(s.minAvailable);
        const n = p !== undefined ? Math.ceil((p * replicas) / 100) : (num(s.minAvailable) ?? 0);
        return n >= replicas ? `minAvailable ${text(s.minAvailable)} keeps all ${replicas} replicas` : undefined;
    }
    return undefined;
}

/** Workloads whose pods a budget selects. */
function selectedWorkloads(pdb: StackResourceView, resources: readonly StackResourceView[]): StackResourceView[] {
    const selector = at(pdb.props, "spec.selector");
    if (isEmptySelector(selector)) return [];
    return resources.filter(
        (r) =>
            SCALABLE_KINDS[r.type] !== undefined &&
            namespaceOf(r.props) === namespaceOf(pdb.props) &&
            selects(selector, obj(at(r.props, "spec.template.metadata.labels"))),
    );
}

/** No budget forbids every voluntary eviction of the pods it selects. */
export const pdbAllowsDisruption: StackRule = {
    kind: "stack",
    name: "k8s-pdb-allows-disruption",
    description:
        "A budget with maxUnavailable 0, or a minAvailable of every replica, makes drains and node upgrades hang until someone deletes it by hand (kube-linter pdb-max-unavailable, pdb-min-available).",
    remediation: "use maxUnavailable: 1 (or a minAvailable below the workload's minimum replica count)",
    check: (resources) =>
        resources
            .filter((r) => PDB_TYPES.includes(r.type))
            .flatMap((pdb) =>
                selectedWorkloads(pdb, resources).flatMap((w): StackFinding[] => {
                    const problem = budgetBlocks(at(pdb.props, "spec"), minReplicas(w, resources));
                    return problem === undefined
                        ? []
                        : [
                              {
                                  urn: pdb.urn,
                                  message: `PodDisruptionBudget ${objectName(pdb)}: ${problem} of ${SCALABLE_KINDS[w.type]} ${objectName(w)}`,
                              },
                          ];
                }),
            ),
};

const HOSTNAME = "kubernetes.io/hostname";

/** Whether a pod template spreads its replicas over nodes: anti-affinity or a topology spread constraint on the hostname that selects its own pods. */
export function spreadsOverNodes(workload: StackResourceView): boolean {
    const template = obj(at(workload.props, "spec.template"));
    const labels = obj(at(template, "metadata.labels"));
    const pod = obj(template.spec);
    const antiAffinity = obj(at(pod, "affinity.podAntiAffinity"));
    const terms = [
        ...arr(antiAffinity.requiredDuringSchedulingIgnoredDuringExecution).map(obj),
        ...arr(antiAffinity.preferredDuringSchedulingIgnoredDuringExecution).map((t) => obj(obj(t).podAffinityTerm)),
    ];
    const byAffinity = terms.some((t) => str(t.topologyKey) === HOSTNAME && selects(t.labelSelector, labels));
    const bySpread = arr(pod.topologySpreadConstraints)
        .map(obj)
        .some((c) => str(c.topologyKey) === HOSTNAME && c.labelSelector !== undefined && selects(c.labelSelector, labels));
    return byAffinity || bySpread;
}

/** Every workload that can run several replicas spreads them over nodes. */
export const replicasSpreadOverNodes: StackRule = {
    kind: "stack",
    name: "k8s-replicas-spread-over-nodes",
    description:
        "Replicas the scheduler packs onto one node all die with it; spreading them by hostname is what makes a second replica survive a node failure (kube-linter no-anti-affinity).",
    remediation:
        "add a topologySpreadConstraint (or podAntiAffinity term) with topologyKey kubernetes.io/hostname whose labelSelector matches the workload's pods",
    check: (resources) =>
        resources
            .filter((r) => SCALABLE_KINDS[r.type] !== undefined && maxReplicas(r, resources) > 1 && !spreadsOverNodes(r))
            .map((w) => ({
                urn: w.urn,
                message: `${SCALABLE_KINDS[w.type]} ${objectName(w)} can run ${maxReplicas(w, resources)} replicas and does not spread them over nodes`,
            })),
};
