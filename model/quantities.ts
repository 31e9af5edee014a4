/**
 * Kubernetes resource quantities as numbers, for the targets that need them as numbers (Swarm's
 * NanoCPUs and memory bytes) and for the cost and capacity estimates. Pure: no Pulumi, no zod.
 * The config edge accepts only the forms these read (stacks/schema/rules.ts).
 */

/** A CPU quantity ("250m", "0.5", "2") in millicores. */
export function cpuMillicores(q: string): number {
    return q.endsWith("m") ? Number(q.slice(0, -1)) : Math.round(Number(q) * 1000);
}

const MEMORY_FACTORS: Readonly<Record<string, number>> = {
    "": 1,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
};

/** A memory quantity ("256Mi", "1G", "1024") in bytes; NaN for a form the edge refuses. */
export function memoryBytes(q: string): number {
    const match = /^(\d+(?:\.\d+)?)(\D*)$/.exec(q);
    if (!match) return Number.NaN;
    const factor = MEMORY_FACTORS[match[2]];
    return factor === undefined ? Number.NaN : Number(match[1]) * factor;
}
