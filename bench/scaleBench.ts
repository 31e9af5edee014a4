/** Section "scale": the dev (local) app stack with 10, 100 and 1000 generated services under mocks. */
import * as path from "path";
import { stackEnv } from "./evalBench";
import type { EvalResult } from "./evalStack";
import { timeNodeJson } from "./proc";
import { formatSummary, kbToMb, linearFit, renderTable, summarize } from "./stats";

/** Service counts measured. */
export const COUNTS = [10, 100, 1000] as const;
const RSS_GOAL_MB = 1536;

/** Runs each count `runs` times (1000 services takes minutes on a busy machine, so callers may pass fewer). */
export async function scaleBench(runs: number, log: (line: string) => void): Promise<string> {
    const runner = path.join(__dirname, "evalStack.js");
    const rows: string[][] = [];
    const points: [number, number][] = [];
    const cpuPoints: [number, number][] = [];
    const env = stackEnv("dev");
    for (const count of COUNTS) {
        // One run at 1000 services: minutes on a busy 2-core machine.
        const countRuns = count >= 1000 ? 1 : runs;
        const regMs: number[] = [];
        const cpuMs: number[] = [];
        const rss: number[] = [];
        let registrations = 0;
        for (let i = 0; i < countRuns; i++) {
            const result = (await timeNodeJson([runner, "dev", "--services", String(count)], env)).result as EvalResult;
            if (result.error !== undefined) throw new Error(`${String(count)} services: ${result.error.slice(0, 2000)}`);
            regMs.push(result.lastRegistrationMs - result.loadedMs);
            cpuMs.push(result.cpuMs);
            rss.push(kbToMb(result.maxRssKb));
            registrations = result.registrations;
            log(
                `scale: ${String(count)} services, run ${String(i + 1)}/${String(countRuns)}: ${(regMs[regMs.length - 1] / 1000).toFixed(1)} s`,
            );
        }
        const t = summarize(regMs);
        const c = summarize(cpuMs);
        const m = summarize(rss);
        points.push([count, t.median]);
        cpuPoints.push([count, c.median]);
        rows.push([
            String(count),
            String(registrations),
            String(countRuns),
            formatSummary(t),
            formatSummary(c),
            (t.median / count).toFixed(1),
            (t.median / registrations).toFixed(2),
            formatSummary(m),
            ((m.median * 1024) / count).toFixed(0),
            count === 1000 ? (m.max <= RSS_GOAL_MB ? "met" : "MISSED") : "",
        ]);
    }
    const fit = linearFit(points);
    const steps = (p: readonly [number, number][]) =>
        p
            .slice(1)
            .map(([n, ms], i) => `${String(p[i][0])}→${String(n)}: ${((ms - p[i][1]) / (n - p[i][0])).toFixed(1)} ms/service`)
            .join(", ");
    return [
        `Scaling: dev stack (cloud local) with N generated services under mocks, fresh process. Registration = program loaded → last registration (wall); CPU = the process's user+system CPU until then (includes loading).`,
        "",
        renderTable(
            ["services", "regs", "runs", "registration ms", "CPU ms", "ms/service", "ms/reg", "peak RSS MB", "KB/service", "≤1.5 GB"],
            rows,
        ),
        "",
        `Marginal wall cost ${steps(points)}; marginal CPU cost ${steps(cpuPoints)}; least-squares ${fit.slope.toFixed(1)} ms/service, worst point ${(fit.worstDeviation * 100).toFixed(0)}% off the line (goal: linear, i.e. equal marginal costs).`,
    ].join("\n");
}
