/**
 * The config reference, generated from the zod schemas so the README can never drift from what
 * the program accepts: every key with its default, valid values and meaning.
 *
 *   node bin/scripts/configReference.js          # print the Markdown table
 *   node bin/scripts/configReference.js --write  # replace the table in README.md
 */
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { configKeysSchema } from "../stacks/schema";
import { SECRET_KEYS } from "../model/stack";

/** One documented key. */
export interface ReferenceRow {
    /** Full key as written in Pulumi.<stack>.yaml, e.g. "platform:app.replicas.min". */
    readonly key: string;
    /** Default as YAML would show it; "(required)" when there is none. */
    readonly defaultValue: string;
    /** The rule a value must follow (the same sentence a config error prints). */
    readonly valid: string;
    readonly meaning: string;
}

type Schema = z.ZodType;

interface Unwrapped {
    readonly inner: Schema;
    readonly description?: string;
    readonly hasDefault: boolean;
    readonly defaultValue?: unknown;
    readonly optional: boolean;
}

function unwrap(schema: Schema): Unwrapped {
    let node = schema;
    let description = schema.description;
    let hasDefault = false;
    let defaultValue: unknown;
    let optional = false;
    for (;;) {
        if (node instanceof z.ZodDefault || node instanceof z.ZodPrefault) {
            if (!hasDefault) {
                hasDefault = true;
                defaultValue = (node._zod.def as { defaultValue: unknown }).defaultValue;
            }
            node = node.unwrap() as Schema;
        } else if (node instanceof z.ZodOptional) {
            optional = true;
            node = node.unwrap() as Schema;
        } else break;
        description ??= node.description;
    }
    return { inner: node, description, hasDefault, defaultValue, optional };
}

/** The rule of a leaf schema: the message it gives for a value of the wrong kind. */
function ruleOf(schema: Schema): string {
    if (schema instanceof z.ZodEnum) return `one of ${schema.options.map(String).join(", ")}`;
    if (schema instanceof z.ZodArray) return `list; each item ${ruleOf(unwrap(schema.element as Schema).inner)}`;
    for (const probe of [Symbol("probe"), "", -1.5, 1e9]) {
        const result = schema.safeParse(probe);
        if (!result.success) {
            const message = result.error.issues[0]?.message ?? "";
            if (message.startsWith("must ")) return message.replace(/^must (be )?/, "");
        }
    }
    return "see description";
}

function renderDefault(u: Unwrapped): string {
    if (u.hasDefault) {
        const value = u.defaultValue;
        if (value === "") return '""';
        if (typeof value === "object" && value !== null && Object.keys(value).length === 0 && !Array.isArray(value))
            return "(see sub-keys)";
        if (Array.isArray(value) && value.length > 0 && typeof value[0] === "object")
            return `${value.length} item: ${value.map((v: { name?: string }) => v.name ?? "?").join(", ")}`;
        return typeof value === "string" ? value : JSON.stringify(value);
    }
    return u.optional ? "(unset)" : "(required)";
}

function walk(schema: Schema, key: string, rows: ReferenceRow[], parentDescription?: string): void {
    const u = unwrap(schema);
    const { inner } = u;
    if (inner instanceof z.ZodObject) {
        if (u.description) rows.push({ key, defaultValue: renderDefault(u), valid: "object", meaning: u.description });
        for (const [child, childSchema] of Object.entries((inner as z.ZodObject<Record<string, Schema>>).shape))
            walk(childSchema, `${key}.${child}`, rows);
        return;
    }
    if (inner instanceof z.ZodArray) {
        const element = unwrap(inner.element as Schema).inner;
        if (element instanceof z.ZodObject) {
            rows.push({ key, defaultValue: renderDefault(u), valid: "list of objects", meaning: u.description ?? parentDescription ?? "" });
            for (const [child, childSchema] of Object.entries((element as z.ZodObject<Record<string, Schema>>).shape))
                walk(childSchema, `${key}[].${child}`, rows);
            return;
        }
    }
    rows.push({ key, defaultValue: renderDefault(u), valid: ruleOf(inner), meaning: u.description ?? "" });
}

/** Every key the program reads, in schema order. */
export function configReference(): ReferenceRow[] {
    const rows: ReferenceRow[] = [];
    for (const [key, schema] of Object.entries(configKeysSchema.shape as Record<string, Schema>)) walk(schema, `platform:${key}`, rows);
    for (const secret of SECRET_KEYS) {
        rows.push({
            key: `platform:${secret}`,
            defaultValue: "(unset)",
            valid: "secret string (pulumi config set --secret)",
            meaning: "Password of the external PostgreSQL; required when data.postgres.external is set.",
        });
    }
    return rows;
}

const escape = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The Markdown table of {@link configReference}. */
export function renderReference(rows: readonly ReferenceRow[]): string {
    const lines = ["| Key | Default | Valid values | Meaning |", "| --- | --- | --- | --- |"];
    for (const row of rows)
        lines.push(`| \`${row.key}\` | \`${escape(row.defaultValue)}\` | ${escape(row.valid)} | ${escape(row.meaning)} |`);
    return lines.join("\n");
}

/** Markers around the generated table in README.md. */
export const BEGIN = "<!-- config-reference:begin (generated by npm run docs:config; do not edit) -->";
export const END = "<!-- config-reference:end -->";

/** README text with the table between the markers replaced. */
export function withReference(readme: string, table: string): string {
    const start = readme.indexOf(BEGIN);
    const end = readme.indexOf(END);
    if (start < 0 || end < start) throw new Error("README.md lacks the config-reference markers");
    return `${readme.slice(0, start + BEGIN.length)}\n${table}\n${readme.slice(end)}`;
}

if (require.main === module) {
    const table = renderReference(configReference());
    if (process.argv.includes("--write")) {
        const file = path.join(__dirname, "..", "..", "README.md");
        fs.writeFileSync(file, withReference(fs.readFileSync(file, "utf8"), table));
    } else console.log(table);
}
