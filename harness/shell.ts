/** Running the project's scripts and tools from e2e tests. */
import { execFile } from "child_process";
import * as path from "path";
import { PROJECT_DIR } from "./stackFiles";

/** Project root (the same folder as the stack files' {@link PROJECT_DIR}). */
export const REPO = PROJECT_DIR;

/** What a finished command printed, and how it ended. */
export interface RunResult {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs a command to completion; never throws on a non-zero exit (the caller asserts). */
export function run(
    command: string,
    args: readonly string[],
    options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
    return new Promise((resolve) => {
        execFile(
            command,
            [...args],
            {
                env: options.env ?? process.env,
                cwd: options.cwd ?? REPO,
                maxBuffer: 64 * 1024 * 1024,
                timeout: options.timeoutMs ?? 20 * 60 * 1000,
            },
            (error, stdout, stderr) => {
                const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
                resolve({ code, stdout, stderr });
            },
        );
    });
}

/** Runs a command and throws with its output when it fails. */
export async function must(
    command: string,
    args: readonly string[],
    options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<string> {
    const result = await run(command, args, options);
    if (result.code !== 0)
        throw new Error(`${command} ${args.join(" ")} exited ${result.code}\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`);
    return result.stdout;
}

/** The environment tools/env.sh sets up: the built toolchain on PATH, plugin downloads off. */
export async function toolchainEnv(): Promise<NodeJS.ProcessEnv> {
    const out = await must("bash", ["-c", `source ${JSON.stringify(path.join(REPO, "tools", "env.sh"))} && env -0`]);
    const env: NodeJS.ProcessEnv = {};
    for (const entry of out.split("\0")) {
        const eq = entry.indexOf("=");
        if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return env;
}

/** Milliseconds → "12.3 s", for progress lines. */
export function seconds(ms: number): string {
    return `${(ms / 1000).toFixed(1)} s`;
}
