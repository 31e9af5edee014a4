/**
 * Config problems as a user reads them: every problem at once, each naming the key, the value
 * received and the rule or fix.
 */

/** One thing wrong with the stack config. */
export interface ConfigProblem {
    /** Full config key, e.g. "platform:app.replicas.max". */
    readonly key: string;
    /** The value received, rendered as the user wrote it; undefined when the key is missing or unknown. */
    readonly value?: string;
    /** What is wrong and how to fix it ("must be an integer from 1 to 100 …"). */
    readonly message: string;
}

/** Longest value a problem line shows; longer ones are cut with their length said. */
export const MAX_VALUE_CHARS = 120;
/** Longest key or message a problem line shows (keys come from the user's file too). */
export const MAX_TEXT_CHARS = 400;
/** What a secret value is shown as: never its text. */
export const SECRET_MARK = "[secret]";

// Control characters (newlines included), Unicode line and paragraph separators, bidi
// overrides and other invisible format characters: any of them can break the report's layout or
// make a line read other than it is.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;

/** Replaces every unsafe character with its JSON-style escape, so a problem is always one line. */
export function escapeText(text: string): string {
    return text.replace(UNSAFE, (c) => (c === "\n" ? "\\n" : c === "\t" ? "\\t" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
}

/** Escapes `text` and cuts it to `max` characters, saying how long it was. */
export function boundText(text: string, max: number): string {
    const escaped = escapeText(text);
    if (escaped.length <= max) return escaped;
    return `${escaped.slice(0, max)}… (${text.length.toLocaleString("en-US")} characters)`;
}

/** Renders a value as the user would have typed it in YAML: escaped, one line, bounded. */
export function renderValue(value: unknown): string | undefined {
    if (value === undefined) return undefined;
    const text = typeof value === "string" ? value : (JSON.stringify(value) ?? typeof value);
    // Leading or trailing blanks would be invisible: quote the value then.
    const shown = typeof value === "string" && (text !== text.trim() || text === "") ? JSON.stringify(text) : text;
    return boundText(shown, MAX_VALUE_CHARS);
}

/**
 * A problem made safe to print: key and message escaped and bounded, and every occurrence of a
 * secret's text (in the value, the key or the message) replaced by {@link SECRET_MARK}.
 * @param secretTexts the string leaves of every value that was set with --secret.
 */
export function safeProblem(problem: ConfigProblem, secretTexts: readonly string[]): ConfigProblem {
    const scrub = (text: string) => secretTexts.reduce((t, secret) => t.split(secret).join(SECRET_MARK), text);
    return {
        key: boundText(scrub(problem.key), MAX_TEXT_CHARS),
        value: problem.value === undefined ? undefined : boundText(scrub(problem.value), MAX_VALUE_CHARS + 40),
        message: boundText(scrub(problem.message), MAX_TEXT_CHARS),
    };
}

/** The message Pulumi prints when the stack config is invalid (problems sorted by key). */
export function formatProblems(stack: string, problems: readonly ConfigProblem[]): string {
    const sorted = [...problems].sort((a, b) => a.key.localeCompare(b.key));
    const lefts = sorted.map((p) => (p.value === undefined ? p.key : `${p.key} = ${p.value}`));
    const width = Math.max(...lefts.map((l) => l.length));
    const noun = sorted.length === 1 ? "problem" : "problems";
    const lines = sorted.map((p, i) => `  ${lefts[i].padEnd(width)}   ${p.message}`);
    return [`stack "${stack}" has ${sorted.length} config ${noun} in Pulumi.${stack}.yaml:`, ...lines].join("\n");
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
            diagonal = above;
        }
    }
    return row[b.length];
}

/** The closest known key when it is near enough to be the one the user meant. */
export function suggest(unknown: string, known: readonly string[]): string | undefined {
    let best: { key: string; distance: number } | undefined;
    for (const key of known) {
        const distance = key.toLowerCase() === unknown.toLowerCase() ? 0 : editDistance(unknown, key);
        if (!best || distance < best.distance) best = { key, distance };
    }
    const limit = Math.max(2, Math.floor(unknown.length / 3));
    return best && best.distance <= limit ? best.key : undefined;
}
