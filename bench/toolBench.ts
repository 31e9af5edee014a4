/** Sections "tsc", "suites" and "suites-e2e": the type-check and the test suites, timed as whole commands. */
import * as path from "path";
import { ROOT, Timed, timeCommand } from "./proc";
import { formatSummary, kbToMb, renderTable, summarize } from "./stats";

const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
const MOCHA = path.join(ROOT, "node_modules", "mocha", "bin", "mocha.js");

function rowOf(label: string, runs: readonly Timed[], goal: string): string[] {
    const wall = summarize(runs.map((r) => r.wallMs / 1000));
    const rss = runs.every((r) => r.maxRssKb !== undefined) ? formatSummary(summarize(runs.map((r) => kbToMb(r.maxRssKb ?? 0)))) : "n/a";
    const codes = [...new Set(runs.map((r) => r.code))].join(",");
    return [label, formatSummary(wall, 2), rss, codes, goal];
}

/** `tsc --noEmit -p .`, `runs` times. Goal ≤ 5 s. */
export async function tscBench(runs: number, log: (line: string) => void): Promise<string> {
    const results: Timed[] = [];
    for (let i = 0; i < runs; i++) {
        results.push(await timeCommand("node", [TSC, "--noEmit", "-p", "."]));
        log(`tsc: run ${String(i + 1)}/${String(runs)}: ${(results[i].wallMs / 1000).toFixed(1)} s`);
    }
    const median = summarize(results.map((r) => r.wallMs / 1000)).median;
    return [
        `Type-check, ${String(runs)} runs (peak RSS by /usr/bin/time -f "%M" when present). s / MB as median [min–max].`,
        "",
        renderTable(
            ["command", "wall s", "peak RSS MB", "exit", "goal ≤ 5 s"],
            [rowOf("tsc --noEmit -p .", results, median <= 5 ? "met" : "MISSED")],
        ),
    ].join("\n");
}

/** Unit suite (`mocha`, compiled JS) `runs` times; the e2e suite once when `e2e`. */
export async function suitesBench(runs: number, e2e: boolean, log: (line: string) => void): Promise<string> {
    const rows: string[][] = [];
    if (!e2e) {
        const unit: Timed[] = [];
        for (let i = 0; i < runs; i++) {
            unit.push(await timeCommand("node", [MOCHA, "--reporter", "dot"]));
            log(`suites: unit run ${String(i + 1)}/${String(runs)}: ${(unit[i].wallMs / 1000).toFixed(1)} s, exit ${String(unit[i].code)}`);
        }
        const passing = /(\d+) passing/.exec(unit[0].stdout)?.[1] ?? "?";
        const failing = /(\d+) failing/.exec(unit[0].stdout)?.[1] ?? "0";
        rows.push(rowOf(`unit: npx mocha (${passing} passing, ${failing} failing)`, unit, ""));
    } else {
        const run = await timeCommand("node", [MOCHA, "--config", ".mocharc.e2e.json", "--reporter", "dot"], {
            timeoutMs: 2 * 60 * 60 * 1000,
        });
        log(`suites: e2e ${(run.wallMs / 1000).toFixed(0)} s, exit ${String(run.code)}`);
        const passing = /(\d+) passing/.exec(run.stdout)?.[1] ?? "?";
        const failing = /(\d+) failing/.exec(run.stdout)?.[1] ?? "0";
        rows.push(rowOf(`e2e: mocha --config .mocharc.e2e.json (${passing} passing, ${failing} failing)`, [run], ""));
    }
    return [
        `Test suites (build not included; a non-zero exit means failing tests, timed anyway). s / MB as median [min–max].`,
        "",
        renderTable(["suite", "wall s", "peak RSS MB", "exit", ""], rows),
    ].join("\n");
}
