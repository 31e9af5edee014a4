/** Pure helpers of the benchmarks: summaries of repeated samples, ratios, tables and flags. */

/** Minimum, median and maximum of a set of samples. */
export interface Summary {
    readonly min: number;
    readonly median: number;
    readonly max: number;
    readonly runs: number;
}

/** Summarizes samples; the median of an even count is the mean of the two middle values. Throws on no samples. */
export function summarize(samples: readonly number[]): Summary {
    if (samples.length === 0) throw new Error("no samples to summarize");
    const sorted = [...samples].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    return { min: sorted[0], median, max: sorted[sorted.length - 1], runs: sorted.length };
}

/** "512 [498–560]": median, then the range, rounded to `digits` decimals. */
export function formatSummary(s: Summary, digits = 0): string {
    return `${s.median.toFixed(digits)} [${s.min.toFixed(digits)}–${s.max.toFixed(digits)}]`;
}

/** value / floor as "1.23×"; "n/a" when the floor is not positive. */
export function ratio(value: number, floor: number): string {
    if (!(floor > 0)) return "n/a";
    return `${(value / floor).toFixed(2)}×`;
}

/** Kilobytes (as maxRSS and /usr/bin/time report them) → megabytes. */
export function kbToMb(kb: number): number {
    return kb / 1024;
}

/** A Markdown table with right-aligned columns after the first; rows shorter than the header are padded. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
    const cells = [header, ...rows].map((row) => header.map((_, i) => row[i] ?? ""));
    const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => row[i].length)));
    const line = (row: readonly string[]) =>
        `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(" | ")} |`;
    const rule = `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`;
    return [line(cells[0]), rule, ...cells.slice(1).map(line)].join("\n");
}

/** The sections `npm run bench` knows; `suites-e2e` and `loop` (it starts the embedded platform) run only when named. */
export const SECTIONS = ["eval", "tsc", "scale", "engine", "suites", "suites-e2e", "loop"] as const;
/** One benchmark section. */
export type Section = (typeof SECTIONS)[number];

/** Parsed command line of the bench runner. */
export interface BenchArgs {
    readonly only: readonly Section[];
    /** Repetitions of each timed command. Default 5. */
    readonly runs: number;
    /**
     * Folder of another built checkout (its `bin/bench/evalStack.js`): the eval section runs its
     * stacks too, interleaved with ours, for a before/after under the same load. Default none.
     */
    readonly baseline?: string;
}

/** Parses `--only a,b`, `--runs N` and `--baseline DIR`; defaults to every section but suites-e2e and loop, 5 runs, no baseline. Throws on unknown input. */
export function parseArgs(argv: readonly string[]): BenchArgs {
    let only: Section[] = SECTIONS.filter((s) => s !== "suites-e2e" && s !== "loop");
    let runs = 5;
    let baseline: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].split("=", 2);
        const value = inline ?? argv[++i];
        if (flag === "--only") {
            const names = (value ?? "")
                .split(",")
                .map((s) => s.trim())
                .filter((s) => s !== "");
            const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
            if (names.length === 0 || unknown.length > 0)
                throw new Error(`--only takes a list of ${SECTIONS.join(", ")}; got "${value ?? ""}"`);
            only = names as Section[];
        } else if (flag === "--runs") {
            runs = Number(value);
            if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a positive integer; got "${value ?? ""}"`);
        } else if (flag === "--baseline") {
            if (value === undefined || value === "") throw new Error("--baseline takes the folder of another built checkout");
            baseline = value;
        } else throw new Error(`unknown flag ${argv[i]}; use --only ${SECTIONS.join(",")}, --runs N and --baseline DIR`);
    }
    return baseline === undefined ? { only, runs } : { only, runs, baseline };
}

/**
 * Least-squares slope and intercept of y over x, and how far the worst point strays from the
 * line relative to its own y (0 = perfectly linear).
 */
export function linearFit(points: readonly (readonly [number, number])[]): { slope: number; intercept: number; worstDeviation: number } {
    const n = points.length;
    if (n < 2) throw new Error("need two points for a fit");
    const mx = points.reduce((a, [x]) => a + x, 0) / n;
    const my = points.reduce((a, [, y]) => a + y, 0) / n;
    const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
    const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
    const slope = sxx === 0 ? 0 : sxy / sxx;
    const intercept = my - slope * mx;
    const worstDeviation = Math.max(...points.map(([x, y]) => (y === 0 ? 0 : Math.abs(y - (intercept + slope * x)) / Math.abs(y))));
    return { slope, intercept, worstDeviation };
}
