/**
 * Safe readers for resource properties. The engine hands policies untyped JSON (inputs for
 * resource rules, outputs for stack rules), so every rule reads through these instead of casts.
 */
import { admitsEveryAddress } from "../model/network";

/** A property bag: a resource's inputs or outputs. */
export type Props = Readonly<Record<string, unknown>>;

/** The object at `value`, or an empty object when it is absent or not an object. */
export function obj(value: unknown): Props {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Props) : {};
}

/** The array at `value`, or an empty array. */
export function arr(value: unknown): readonly unknown[] {
    return Array.isArray(value) ? value : [];
}

/** The string at `value`, or undefined. */
export function str(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

/** The strings in the array at `value` (other elements are skipped). */
export function strings(value: unknown): string[] {
    return arr(value).filter((v): v is string => typeof v === "string");
}

/** The number at `value` (numeric strings too, as bridged providers sometimes send them), or undefined. */
export function num(value: unknown): number | undefined {
    if (typeof value === "number") return value;
    if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
    return undefined;
}

/** Whether `value` is true (the boolean, or the string "true" some providers use). */
export function isTrue(value: unknown): boolean {
    return value === true || value === "true";
}

/** The value at a dotted path ("spec.template.spec"). */
export function at(value: unknown, dotted: string): unknown {
    let node: unknown = value;
    for (const segment of dotted.split(".")) {
        if (node === null || typeof node !== "object") return undefined;
        node = (node as Props)[segment];
    }
    return node;
}

/**
 * Whether a CIDR list admits the whole internet, compared as address ranges: "0.0.0.0/0",
 * "::/0", and any split of the space such as "0.0.0.0/1" + "128.0.0.0/1".
 */
export function admitsEveryone(cidrs: readonly string[]): boolean {
    return admitsEveryAddress(cidrs);
}

/** A property value for a message: strings and numbers as they are, anything else as JSON. */
export function text(value: unknown): string {
    return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
        ? String(value)
        : (JSON.stringify(value) ?? "undefined");
}
