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

/** Renders a value as the user would have typed it in YAML. */
export function renderValue(value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value === "string") return value;
    return JSON.stringify(value);
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
