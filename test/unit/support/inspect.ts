/** Helpers to read recorded registrations in assertions. */
import type { Registration } from "../../../harness/mocks";
import { SECRET_SIG } from "../../../harness/mocks";

/** Registrations of one type. */
export function ofType(registrations: readonly Registration[], type: string): Registration[] {
    return registrations.filter((r) => r.type === type);
}

/** The value at a dotted path ("spec.template.spec") of a registration's inputs. */
export function at(value: unknown, dotted: string): unknown {
    let node = value;
    for (const segment of dotted.split(".")) {
        if (node === null || typeof node !== "object") return undefined;
        node = (node as Record<string, unknown>)[segment];
    }
    return node;
}

/** A typed view of an inputs object (tests read fields they assert on). */
export function record(value: unknown): Record<string, unknown> {
    return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

/** An array view (empty when absent). */
export function list(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

/**
 * Every plain-text string in wire inputs, skipping values wrapped as secrets. A secret value
 * found here would be stored in plain text in state.
 */
export function plainStrings(wire: unknown, out: string[] = []): string[] {
    if (typeof wire === "string") out.push(wire);
    else if (Array.isArray(wire)) for (const item of wire) plainStrings(item, out);
    else if (wire && typeof wire === "object") {
        const entries = Object.entries(wire as Record<string, unknown>);
        if (entries.some(([, v]) => v === SECRET_SIG)) return out;
        for (const [, v] of entries) plainStrings(v, out);
    }
    return out;
}
