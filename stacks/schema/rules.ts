/**
 * Reusable validation rules for stack config. Each rule carries the sentence a user reads
 * when the value is wrong ("must be …"), so every problem names its valid range or choices.
 */
import { z } from "zod";

/** An integer in `[min, max]`; the message states the range. */
export function intInRange(min: number, max: number) {
    const rule = `must be an integer from ${min} to ${max}`;
    return z.number({ error: rule }).int({ error: rule }).min(min, { error: rule }).max(max, { error: rule });
}

/** A string from a fixed list; the message lists every choice. */
export function oneOf<const T extends readonly [string, ...string[]]>(choices: T) {
    return z.enum(choices, { error: `must be one of ${choices.join(", ")}` });
}

/** A boolean (`true` or `false`). */
export function flag() {
    return z.boolean({ error: "must be true or false" });
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** An RFC 1123 label: what Kubernetes accepts as a namespace or service name. */
export function dnsLabel(maxLength = 63) {
    const rule = `must be a lowercase RFC 1123 label (a-z, 0-9, '-', start and end alphanumeric, at most ${maxLength} characters)`;
    return z.string({ error: rule }).max(maxLength, { error: rule }).regex(DNS_LABEL, { error: rule });
}

/** A CPU quantity Kubernetes accepts: cores ("0.5", "2") or millicores ("250m"). */
export const CPU_QUANTITY = /^(\d+(\.\d{1,3})?|\d+m)$/;
/** A memory quantity Kubernetes accepts: bytes with a binary or decimal suffix ("256Mi", "1Gi", "512M"). */
export const MEMORY_QUANTITY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/;

/** A CPU quantity, as a string ("250m", "1"); numbers are rejected so YAML `1` vs `"1"` cannot surprise. */
export function cpuQuantity() {
    const rule = 'must be a CPU quantity such as "250m" or "1" (cores or millicores, greater than 0)';
    return z
        .string({ error: rule })
        .regex(CPU_QUANTITY, { error: rule })
        .refine((q) => cpuMillicores(q) > 0, { error: rule });
}

/** A memory quantity, as a string ("256Mi"). */
export function memoryQuantity() {
    const rule = 'must be a memory quantity such as "256Mi" or "1Gi" (Ki, Mi, Gi, Ti or k, M, G, T; greater than 0)';
    return z
        .string({ error: rule })
        .regex(MEMORY_QUANTITY, { error: rule })
        .refine((q) => memoryBytes(q) > 0, { error: rule });
}

/** Converts a CPU quantity accepted by {@link cpuQuantity} to millicores. */
export function cpuMillicores(q: string): number {
    return q.endsWith("m") ? Number(q.slice(0, -1)) : Math.round(Number(q) * 1000);
}

const MEMORY_FACTORS: Record<string, number> = {
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
/** Converts a memory quantity accepted by {@link memoryQuantity} to bytes. */
export function memoryBytes(q: string): number {
    const match = /^(\d+(?:\.\d+)?)(\D*)$/.exec(q);
    if (!match) return Number.NaN;
    const factor = MEMORY_FACTORS[match[2]];
    return factor === undefined ? Number.NaN : Number(match[1]) * factor;
}

/** An IPv4 CIDR block such as "10.0.0.0/16". */
export function cidr() {
    const rule = 'must be an IPv4 CIDR block such as "10.0.0.0/16"';
    return z.string({ error: rule }).refine((v) => parseCidr(v) !== undefined, { error: rule });
}

/** A parsed IPv4 CIDR: first address as an unsigned 32-bit number, and prefix length. */
export interface Cidr {
    readonly base: number;
    readonly prefix: number;
}

/** Parses "a.b.c.d/n"; returns undefined for anything else (including host bits set). */
export function parseCidr(value: string): Cidr | undefined {
    const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
    if (!match) return undefined;
    const octets = match.slice(1, 5).map(Number);
    const prefix = Number(match[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    const base = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
    if ((base & mask) >>> 0 !== base) return undefined;
    return { base, prefix };
}

/** True when two CIDR blocks share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
    const prefix = Math.min(a.prefix, b.prefix);
    const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
    return (a.base & mask) >>> 0 === (b.base & mask) >>> 0;
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
    return inner.prefix >= outer.prefix && cidrsOverlap(outer, inner);
}

/** A Kubernetes minor version such as "1.33". */
export function kubernetesVersion() {
    const rule = 'must be a Kubernetes minor version such as "1.33" (1.28 to 1.36)';
    return z
        .string({ error: rule })
        .regex(/^1\.(2[89]|3[0-6])$/, { error: rule });
}
