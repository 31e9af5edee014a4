/**
 * The comparison as rows of plain-text cells, one column per target: the content both the
 * Markdown and the HTML tables show.
 */
import { KINDS } from "../classify";
import type { ComparisonReport, TargetReport } from "../report";

/** One row: a label and one cell per target (in report order). */
export interface Row {
    readonly label: string;
    readonly cells: readonly string[];
    /** Section the row belongs to ("What gets created", "Capacity", …). */
    readonly section: string;
}

/** Note shown instead of a price on targets that run on your own machines. */
export const OWN_HARDWARE_NOTE = "$0 — runs on hardware you already have";

/** US dollars with thousands separators and cents. */
export function usd(value: number): string {
    return `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function range(min: number, max: number, unit = ""): string {
    return min === max ? `${min}${unit}` : `${min}–${max}${unit}`;
}

function unavailable(t: TargetReport): string {
    return t.error !== undefined ? "error (see below)" : "—";
}

function cost(t: TargetReport, at: "minUsd" | "maxUsd"): string {
    if (t.estimateError !== undefined) return "error (see below)";
    if (!t.estimate) return unavailable(t);
    return t.estimate.ownHardware && t.estimate[at] === 0 ? OWN_HARDWARE_NOTE : usd(t.estimate[at]);
}

function nodes(t: TargetReport): string {
    if (!t.capacity) return unavailable(t);
    if (t.capacity.pools.length === 0) return "your machines (not provisioned)";
    return t.capacity.pools.map((p) => `${range(p.min, p.max)} × ${p.machine} (${p.vcpu} vCPU, ${p.memoryGiB} GiB)`).join("; ");
}

function total(t: TargetReport, key: "nodes" | "vcpu" | "memoryGiB", unit: string): string {
    if (!t.capacity) return unavailable(t);
    if (t.capacity.pools.length === 0) return "—";
    return range(t.capacity[key].min, t.capacity[key].max, unit);
}

function plural(n: number, what: string): string {
    return `${n} ${what}${n === 1 ? "" : "s"}`;
}

/** Pod autoscaling: HPAs and what feeds them metrics. */
export function podScaling(t: TargetReport): string {
    if (!t.plan) return unavailable(t);
    if (t.target === "swarm") return "no: Swarm has no autoscaler; each service runs a fixed replicas.min";
    const { hpas, metricsSource } = t.plan.scaling;
    if (hpas === 0) return "no HorizontalPodAutoscaler";
    const hpa = plural(hpas, "HPA");
    return metricsSource !== undefined
        ? `${hpa}, metrics from ${metricsSource}`
        : `${hpa} without a metrics source: replicas stay at their minimum`;
}

/** Node autoscaling: what resizes the pools. */
export function nodeScaling(t: TargetReport): string {
    if (!t.plan) return unavailable(t);
    if (t.plan.scaling.nodeAutoscaler !== undefined) return t.plan.scaling.nodeAutoscaler;
    if (t.plan.nodePools.length === 0) return "no: capacity is the machines you have";
    return "no: node counts stay where they are created";
}

/** Vertical recommendations: VerticalPodAutoscalers and what fills them. */
export function verticalScaling(t: TargetReport): string {
    if (!t.plan) return unavailable(t);
    if (t.target === "swarm") return "no: Swarm has no VPA";
    const { vpas, recommender } = t.plan.scaling;
    if (vpas === 0) return recommender !== undefined ? `no VerticalPodAutoscaler (recommender ready: ${recommender})` : "no";
    const vpa = `${plural(vpas, "VPA")} (updateMode Off)`;
    return recommender !== undefined ? `${vpa}, recommendations from ${recommender}` : `${vpa} without a recommender: no recommendations`;
}

/** Every row of the comparison table. */
export function comparisonRows(report: ComparisonReport): Row[] {
    const per = (section: string, label: string, cell: (t: TargetReport) => string): Row => ({
        section,
        label,
        cells: report.targets.map(cell),
    });
    const created = "What gets created";
    const counted = (t: TargetReport, pick: (counts: NonNullable<TargetReport["plan"]>["counts"]) => number) =>
        t.plan ? String(pick(t.plan.counts)) : unavailable(t);
    return [
        per("Setup", "target block from", (t) => `Pulumi.${t.blockFrom}.yaml`),
        ...KINDS.map((kind) => per(created, `resources: ${kind}`, (t) => counted(t, (c) => c[kind]))),
        per(created, "resources: total", (t) => counted(t, (c) => KINDS.reduce((sum, k) => sum + c[k], 0))),
        per("Capacity", "node pools", nodes),
        per("Capacity", "nodes (min–max)", (t) => total(t, "nodes", "")),
        per("Capacity", "vCPU total (min–max)", (t) => total(t, "vcpu", "")),
        per("Capacity", "memory total (min–max)", (t) => total(t, "memoryGiB", " GiB")),
        per("Scaling", "pod autoscaling (HPA)", podScaling),
        per("Scaling", "node autoscaling", nodeScaling),
        per("Scaling", "vertical recommendations (VPA)", verticalScaling),
        per("Cost per month", "at min scale", (t) => cost(t, "minUsd")),
        per("Cost per month", "at max scale", (t) => cost(t, "maxUsd")),
        per("Security posture", "policy rules passed", (t) => (t.posture ? String(t.posture.passed.length) : unavailable(t))),
        per("Security posture", "waived", (t) =>
            t.posture
                ? t.posture.waived.length === 0
                    ? "0"
                    : `${t.posture.waived.length} (${t.posture.waived.join(", ")})`
                : unavailable(t),
        ),
        per("Security posture", "failed", (t) =>
            t.posture
                ? t.posture.failed.length === 0
                    ? "0"
                    : `${t.posture.failed.length} (${t.posture.failed.join(", ")})`
                : unavailable(t),
        ),
        per("Operations", "Kubernetes version", (t) => t.facts?.kubernetesVersion ?? unavailable(t)),
        per("Operations", "time to provision", (t) => t.facts?.provisionTime ?? unavailable(t)),
        per("Operations", "not supported", (t) =>
            t.facts ? (t.facts.unsupported.length === 0 ? "—" : t.facts.unsupported.join("; ")) : unavailable(t),
        ),
    ];
}

/** Problems to list under the table: program errors and unpriced items, per target. */
export function problems(report: ComparisonReport): string[] {
    return report.targets.flatMap((t) =>
        [t.error, t.estimateError].filter((e): e is string => e !== undefined).map((e) => `${t.target}: ${e}`),
    );
}
