/** Child processes for the benchmarks: wall time from spawn to exit, and the child's peak RSS. */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Project root (the runner is compiled to bin/bench). */
export const ROOT = path.resolve(__dirname, "..", "..");

/** How a timed command ended. */
export interface Timed {
    readonly code: number;
    readonly wallMs: number;
    /** Peak RSS of the child in kB, when measurable. */
    readonly maxRssKb?: number;
    readonly stdout: string;
    readonly stderr: string;
}

const GNU_TIME = "/usr/bin/time";
/** Node's own peak-RSS hook, for when GNU time is missing (node children only). */
const RSS_HOOK = path.join(__dirname, "rssHook.js");

function spawnTimed(
    command: string,
    args: readonly string[],
    options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number },
): Promise<Omit<Timed, "maxRssKb">> {
    return new Promise((resolve) => {
        const start = process.hrtime.bigint();
        const child = spawn(command, [...args], {
            cwd: options.cwd ?? ROOT,
            env: options.env ?? process.env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on("data", (b: Buffer) => out.push(b));
        child.stderr.on("data", (b: Buffer) => err.push(b));
        const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
        child.on("close", (code) => {
            if (timer) clearTimeout(timer);
            const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
            resolve({ code: code ?? 1, wallMs, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
        });
        child.on("error", (e) => {
            err.push(Buffer.from(String(e)));
        });
    });
}

/**
 * Runs a command and measures its wall time and peak RSS: with GNU time (`-f "%e %M"`) when
 * present; otherwise, for `node` commands, with a --require hook that reports
 * process.resourceUsage().maxRSS at exit; otherwise without RSS.
 */
export async function timeCommand(
    command: string,
    args: readonly string[],
    options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<Timed> {
    const file = path.join(os.tmpdir(), `bench-rss-${String(process.pid)}-${String(Date.now())}-${String(Math.random()).slice(2, 8)}`);
    try {
        if (fs.existsSync(GNU_TIME)) {
            const result = await spawnTimed(GNU_TIME, ["-o", file, "-f", "%e %M", command, ...args], options);
            const [, rss] = fs.readFileSync(file, "utf8").trim().split(/\s+/).slice(-2);
            return { ...result, maxRssKb: Number(rss) };
        }
        if (command === "node" || command === process.execPath) {
            const env = { ...(options.env ?? process.env), BENCH_RSS_FILE: file };
            const result = await spawnTimed(command, ["--require", RSS_HOOK, ...args], { ...options, env });
            return { ...result, maxRssKb: fs.existsSync(file) ? Number(fs.readFileSync(file, "utf8")) : undefined };
        }
        return await spawnTimed(command, args, options);
    } finally {
        fs.rmSync(file, { force: true });
    }
}

/** Runs a node child that prints one JSON line last, and returns it with the wall time. */
export async function timeNodeJson(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<{ wallMs: number; result: unknown }> {
    const run = await spawnTimed(process.execPath, args, { env });
    const last = run.stdout.trim().split("\n").pop() ?? "";
    try {
        return { wallMs: run.wallMs, result: JSON.parse(last) as unknown };
    } catch {
        throw new Error(
            `node ${args.join(" ")} exited ${String(run.code)} without a JSON line:\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`,
        );
    }
}
