/** Section "eval": each committed stack under mocks in a fresh node process, beside the start-up floors. */
import * as fs from "fs";
import * as path from "path";
import { readStackFile } from "../harness/stackFiles";
import { STACK_CONFIG_ENV, type EvalResult } from "./evalStack";
import { timeNodeJson } from "./proc";
import { formatSummary, kbToMb, ratio, renderTable, summarize } from "./stats";

/** The committed stacks the section evaluates. */
export const STACKS = ["dev", "staging", "prod", "swarm"] as const;

const REPORT =
    "process.stdout.write(JSON.stringify({lastRegistrationMs:performance.now(),loadedMs:performance.now(),maxRssKb:process.resourceUsage().maxRSS,cpuMs:(process.cpuUsage().user+process.cpuUsage().system)/1000,registrations:0})+'\\n')";

interface Case {
    readonly label: string;
    readonly args: readonly string[];
    /** The stack's config, handed to the runner as the engine hands it to a program. Default none (floors). */
    readonly env?: NodeJS.ProcessEnv;
}

/** The environment of a runner of `stack`: its config map as JSON (evalStack.ts, STACK_CONFIG_ENV). */
export function stackEnv(stack: string): NodeJS.ProcessEnv {
    return { ...process.env, [STACK_CONFIG_ENV]: JSON.stringify(readStackFile(stack)) };
}

interface Sample {
    readonly doneMs: number;
    readonly loadedMs: number;
    readonly wallMs: number;
    readonly cpuMs: number;
    readonly rssMb: number;
    readonly registrations: number;
}

/**
 * Runs `runs` rounds, each case once per round (interleaved, so background load hits all alike); returns the table.
 * With `baseline` (another built checkout), each stack also runs from there, right before ours.
 */
export async function evalBench(runs: number, log: (line: string) => void, baseline?: string): Promise<string> {
    const runner = path.join(__dirname, "evalStack.js");
    const baselineRunner = baseline === undefined ? undefined : path.resolve(baseline, "bin", "bench", "evalStack.js");
    if (baselineRunner !== undefined && !fs.existsSync(baselineRunner))
        throw new Error(`--baseline: ${baselineRunner} does not exist (build it first)`);
    const cases: Case[] = [
        { label: "floor: node -e 0", args: ["-e", REPORT] },
        { label: "floor: node -e \"require('@pulumi/pulumi')\"", args: ["-e", `require('@pulumi/pulumi');${REPORT}`] },
        ...STACKS.flatMap((stack) => {
            const env = stackEnv(stack);
            return [
                ...(baselineRunner === undefined ? [] : [{ label: `eval ${stack} (baseline)`, args: [baselineRunner, stack], env }]),
                { label: `eval ${stack}`, args: [runner, stack], env },
            ];
        }),
    ];
    const samples = new Map<string, Sample[]>(cases.map((c) => [c.label, []]));
    for (let round = 0; round < runs; round++) {
        for (const c of cases) {
            const { wallMs, result: printed } = await timeNodeJson(c.args, c.env);
            const result = printed as EvalResult;
            if (result.error !== undefined) throw new Error(`${c.label}: ${result.error}`);
            samples.get(c.label)?.push({
                doneMs: result.lastRegistrationMs,
                loadedMs: result.loadedMs,
                wallMs,
                cpuMs: result.cpuMs,
                rssMb: kbToMb(result.maxRssKb),
                registrations: result.registrations,
            });
        }
        log(`eval: round ${String(round + 1)}/${String(runs)} done`);
    }
    const med = (label: string) => summarize((samples.get(label) ?? []).map((s) => s.doneMs)).median;
    const cpuMed = (label: string) => summarize((samples.get(label) ?? []).map((s) => s.cpuMs)).median;
    const bare = med(cases[0].label);
    const sdk = med(cases[1].label);
    const sdkCpu = cpuMed(cases[1].label);
    const rows = cases.map((c) => {
        const s = samples.get(c.label) ?? [];
        const done = summarize(s.map((x) => x.doneMs));
        const isStack = c.args[0] === runner || c.args[0] === baselineRunner;
        return [
            c.label,
            formatSummary(done),
            isStack ? formatSummary(summarize(s.map((x) => x.loadedMs))) : "",
            formatSummary(summarize(s.map((x) => x.wallMs))),
            formatSummary(summarize(s.map((x) => x.cpuMs))),
            formatSummary(summarize(s.map((x) => x.rssMb))),
            isStack ? String(s[0]?.registrations ?? 0) : "",
            ratio(done.median, sdk),
            ratio(done.median, bare),
            ratio(cpuMed(c.label), sdkCpu),
            isStack ? (done.median <= 1.3 * sdk ? "met" : "MISSED") : "",
        ];
    });
    return [
        `Program evaluation under mocks, fresh node process per run, ${String(runs)} interleaved rounds. ms / MB as median [min–max].` +
            (baseline === undefined ? "" : ` "(baseline)" rows: ${baseline}.`),
        "“done” = process start → last registration (performance.now()); floors: → after require. “loaded” = process start → program modules required. “CPU” = user+system CPU of the child until done (less sensitive to other load). Goal: done ≤ 1.3× the @pulumi/pulumi floor.",
        "",
        renderTable(
            [
                "case",
                "done ms",
                "loaded ms",
                "spawn→exit ms",
                "CPU ms",
                "peak RSS MB",
                "regs",
                "× @pulumi/pulumi",
                "× node -e 0",
                "CPU × @pulumi/pulumi",
                "goal",
            ],
            rows,
        ),
    ].join("\n");
}
