/**
 * Helpers of the local platform e2e test: runs platform/up.sh, down.sh and status.sh against a
 * state folder of its own (PLATFORM_STATE_DIR) and reads pids back from it.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** Result of a script run: exit code and the combined output. */
export interface RunResult {
    readonly code: number;
    readonly output: string;
}

/** Runs a command, streaming its output to `logFile`; resolves with the exit code and output. */
export function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, logFile: string, cwd: string): Promise<RunResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
        const chunks: Buffer[] = [];
        const log = fs.createWriteStream(logFile, { flags: "a" });
        const take = (b: Buffer) => {
            chunks.push(b);
            log.write(b);
        };
        child.stdout.on("data", take);
        child.stderr.on("data", take);
        child.on("error", reject);
        child.on("close", (code) => {
            log.end();
            resolve({ code: code ?? -1, output: Buffer.concat(chunks).toString("utf8") });
        });
    });
}

/** Every pid file under `dir` (recursively), with the pid it names. */
export function pidFiles(dir: string): { file: string; pid: number }[] {
    const found: { file: string; pid: number }[] = [];
    const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) {
                // Docker's and containerd's own trees are big and hold no pid files of ours.
                if (!["root", "data", "volumes", "etcd", "kubelet"].includes(e.name)) walk(p);
            } else if (e.name.endsWith(".pid")) {
                const pid = Number(fs.readFileSync(p, "utf8").trim());
                if (Number.isInteger(pid) && pid > 0) found.push({ file: p, pid });
            }
        }
    };
    if (fs.existsSync(dir)) walk(dir);
    return found;
}

/** Whether a pid is alive and not a zombie. */
export function alive(pid: number): boolean {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return !/\) Z /.test(stat);
    } catch {
        return false;
    }
}

/** Polls `fn` until it returns a value (not undefined) or the time is up. */
export async function eventually<T>(what: string, seconds: number, fn: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + seconds * 1000;
    let last: unknown;
    for (;;) {
        try {
            const v = await fn();
            if (v !== undefined) return v;
        } catch (e) {
            last = e;
        }
        if (Date.now() > deadline)
            throw new Error(
                `timed out after ${seconds}s waiting for ${what}${last === undefined ? "" : `: ${last instanceof Error ? last.message : JSON.stringify(last)}`}`,
            );
        await new Promise((r) => setTimeout(r, 2000));
    }
}
