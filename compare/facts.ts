/** Operational facts per target: Kubernetes version, measured provisioning time, what it lacks. */
import type { Features } from "./plan";
import type { Cloud } from "../model/targets";

/** A real provisioning run recorded in compare/measured.json. */
export interface Measurement {
    /** Wall-clock seconds of `pulumi up` from empty to ready. */
    readonly seconds: number;
    /** When it was measured (ISO date). */
    readonly measuredAt: string;
    /** Machine or conditions of the run. */
    readonly note?: string;
}

/** compare/measured.json: measurements by target; targets without one are "not measured". */
export type Measurements = Partial<Record<Cloud, Measurement>>;

/** What the report says about running the target. */
export interface OperationalFacts {
    readonly kubernetesVersion: string;
    readonly provisionTime: string;
    /** What the target does not provide for this app stack (empty when it lacks nothing). */
    readonly unsupported: readonly string[];
}

/** Parses measured.json content; entries that are not a {seconds, measuredAt} record are dropped. */
export function parseMeasurements(json: unknown): Measurements {
    const out: Measurements = {};
    if (json === null || typeof json !== "object") return out;
    for (const [target, value] of Object.entries(json as Record<string, unknown>)) {
        if (value === null || typeof value !== "object") continue;
        const { seconds, measuredAt, note } = value as Record<string, unknown>;
        if (typeof seconds !== "number" || typeof measuredAt !== "string") continue;
        if (target === "local" || target === "aws" || target === "azure" || target === "swarm") {
            out[target] = { seconds, measuredAt, note: typeof note === "string" ? note : undefined };
        }
    }
    return out;
}

function duration(seconds: number): string {
    const m = Math.floor(seconds / 60);
    const s = Math.round(seconds % 60);
    return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

/**
 * The facts of `target`.
 * @param kubernetesVersion version read from the registrations (cloud targets) or the platform's pins (local)
 */
export function operationalFacts(
    target: Cloud,
    features: Features,
    kubernetesVersion: string | undefined,
    measured: Measurements,
): OperationalFacts {
    const unsupported: string[] = [];
    if (!features.managedRedis) unsupported.push("no managed Redis (runs in-platform: you own backups and upgrades)");
    if (!features.managedPostgres) unsupported.push("no managed PostgreSQL (runs in-platform: you own backups, HA and upgrades)");
    if (!features.podAutoscaling)
        unsupported.push(
            target === "swarm"
                ? "no Pod autoscaling: Swarm has no autoscaler, each service runs a fixed replicas.min"
                : "no Pod autoscaling (HPA): replicas stay at their minimum",
        );
    if (!features.nodeAutoscaling) unsupported.push("no node autoscaling: capacity is the machines you have");
    if (!features.cloudLoadBalancer) unsupported.push("no cloud load balancer: traffic enters on a node or published port");
    const run = measured[target];
    return {
        kubernetesVersion: target === "swarm" ? "n/a (Docker Swarm)" : (kubernetesVersion ?? "unknown"),
        provisionTime: run ? `${duration(run.seconds)} (measured ${run.measuredAt}${run.note ? `, ${run.note}` : ""})` : "not measured",
        unsupported,
    };
}
