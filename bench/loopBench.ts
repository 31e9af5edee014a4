/**
 * Section "loop" (never by default: it starts the embedded platform, fixed ports 5000 and 30080):
 * what a developer waits for on the embedded platform. `npm run up` from an empty state folder and
 * an empty build cache, `npm run down` and again from an empty state folder with the build cache
 * the first run filled (what a new state folder meets on a machine that built before), again with
 * nothing changed, then `runs` times: a marker appended to an app/src file (restored
 * afterwards), `npm run up`, until the new version answers on the printed URL, split into the
 * platform's phases, the image build and push and the Deployment's rollout (pulumi's display) and the
 * new pod's readiness.
 * Always ends with `npm run down`. State folder: PLATFORM_STATE_DIR, default <tmp>/bench-platform
 * (never the repository's .platform); build cache: <state folder>-build-cache, removed at the end
 * (never the machine's, which `npm run up` uses).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { run } from "../harness/shell";
import { PhaseSpan, phaseMs, phaseSpans, PodStatus, readinessSeconds, StampedLine, stepSeconds, stepSpans } from "./loop";
import { ROOT } from "./proc";
import { renderTable } from "./stats";

/** The app source file the loop edits. */
const EDITED = path.join("app", "src", "health.ts");
const PORTS = [5000, 30080];

interface UpRun {
    readonly label: string;
    readonly totalMs: number;
    /** Until the new version answers (the edit runs), else equal to totalMs. */
    readonly answeredMs: number;
    readonly phases: PhaseSpan[];
    readonly imageS: number;
    readonly webImageS: number;
    readonly rolloutS: number;
    readonly readinessS?: number;
}

/** Why the platform cannot run now (ports taken, another up running), or undefined. */
async function platformBusy(): Promise<string | undefined> {
    const procs = await run("pgrep", ["-f", "local platform|localPlatform|platform/up.sh"]);
    if (procs.code === 0 && procs.stdout.trim() !== "")
        return `an embedded platform run is active (pids ${procs.stdout.trim().split("\n").join(", ")})`;
    const net = await import("net");
    for (const port of PORTS) {
        const free = await new Promise<boolean>((resolve) => {
            const server = net.createServer();
            server.once("error", () => {
                resolve(false);
            });
            server.listen(port, "127.0.0.1", () =>
                server.close(() => {
                    resolve(true);
                }),
            );
        });
        if (!free) return `port ${String(port)} is taken`;
    }
    return undefined;
}

/** Runs a command, stamping each stderr line on arrival; rejects on a non-zero exit. */
function stamped(
    command: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv,
    log: (line: string) => void,
): Promise<{ lines: StampedLine[]; stdout: string; startMs: number; endMs: number }> {
    return new Promise((resolve, reject) => {
        const startMs = performance.now();
        const child = spawn(command, [...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
        const lines: StampedLine[] = [];
        let out = "";
        let partial = "";
        child.stdout.on("data", (b: Buffer) => (out += b.toString("utf8")));
        child.stderr.on("data", (b: Buffer) => {
            const now = performance.now();
            const parts = (partial + b.toString("utf8")).split("\n");
            partial = parts.pop() ?? "";
            for (const text of parts) {
                lines.push({ ms: now, text });
                if (/── |phases:|answers at/.test(text)) log(`loop: ${text.trim()}`);
            }
        });
        child.on("close", (code) => {
            const endMs = performance.now();
            if (code === 0) resolve({ lines, stdout: out, startMs, endMs });
            else
                reject(
                    new Error(
                        `${command} ${args.join(" ")} exited ${String(code)}:\n${lines
                            .slice(-40)
                            .map((l) => l.text)
                            .join("\n")}`,
                    ),
                );
        });
    });
}

async function kubectlJson(env: NodeJS.ProcessEnv, args: readonly string[]): Promise<unknown> {
    const r = await run("kubectl", ["--kubeconfig", path.join(env.PLATFORM_STATE_DIR ?? "", "kubeconfig"), ...args, "-o", "json"], { env });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
    return JSON.parse(r.stdout) as unknown;
}

interface PodJson extends PodStatus {
    readonly metadata: { name: string; deletionTimestamp?: string; creationTimestamp: string };
    readonly spec: { containers: { image: string }[] };
}

/** Polls until every ready, non-terminating web pod runs `image` and the URL answers; ms waited and the newest pod. */
async function untilNewVersion(env: NodeJS.ProcessEnv, url: string, image: string): Promise<{ ms: number; pod?: PodJson }> {
    const start = performance.now();
    for (;;) {
        const pods = ((await kubectlJson(env, ["-n", "app", "get", "pods", "-l", "app.kubernetes.io/name=web"])) as { items: PodJson[] })
            .items;
        const serving = pods.filter((p) => p.metadata.deletionTimestamp === undefined && readinessSeconds(p) !== undefined);
        const answers = (await run("curl", ["-fsS", "-o", "/dev/null", `${url}/readyz`])).code === 0;
        if (answers && serving.length > 0 && serving.every((p) => p.spec.containers[0]?.image === image)) {
            const newest = [...serving].sort((a, b) => b.metadata.creationTimestamp.localeCompare(a.metadata.creationTimestamp))[0];
            return { ms: performance.now() - start, pod: newest };
        }
        if (performance.now() - start > 120_000) throw new Error(`the new version ${image} did not answer within 120 s`);
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
}

async function up(label: string, env: NodeJS.ProcessEnv, log: (line: string) => void, edit: boolean): Promise<UpRun> {
    const result = await stamped("npm", ["run", "--silent", "up"], env, log);
    const totalMs = result.endMs - result.startMs;
    const url = result.stdout.trim().split("\n").pop() ?? "";
    const steps = stepSpans(result.stdout);
    let answeredMs = totalMs;
    let readinessS: number | undefined;
    if (edit) {
        // After the up, the Deployment's template names the new digest-pinned image.
        const deployment = (await kubectlJson(env, ["-n", "app", "get", "deployment", "web"])) as {
            spec: { template: { spec: { containers: { image: string }[] } } };
        };
        const image = deployment.spec.template.spec.containers[0]?.image ?? "";
        const waited = await untilNewVersion(env, url, image);
        answeredMs = totalMs + waited.ms;
        readinessS = waited.pod === undefined ? undefined : readinessSeconds(waited.pod);
    }
    const run_: UpRun = {
        label,
        totalMs,
        answeredMs,
        phases: phaseSpans(result.lines, result.startMs, result.endMs),
        imageS: stepSeconds(steps, "docker-build:index:Image"),
        webImageS: stepSeconds(steps, "docker-build:index:Image", "web-build"),
        rolloutS: stepSeconds(steps, "kubernetes:apps/v1:Deployment"),
        readinessS,
    };
    log(`loop: ${label}: ${(totalMs / 1000).toFixed(1)} s (${run_.phases.map((p) => `${p.name}=${(p.ms / 1000).toFixed(1)}`).join(", ")})`);
    return run_;
}

/** Runs the section: empty state folder, nothing changed, then `runs` edits of app/src. */
export async function loopBench(runs: number, log: (line: string) => void): Promise<string> {
    const busy = await platformBusy();
    if (busy !== undefined) return `Inner loop: SKIPPED, ${busy}: the section starts the embedded platform on its fixed ports.`;
    const state = process.env.PLATFORM_STATE_DIR ?? path.join(os.tmpdir(), "bench-platform");
    if (path.resolve(state) === path.join(ROOT, ".platform"))
        return "Inner loop: SKIPPED, PLATFORM_STATE_DIR names the repository's .platform.";
    // The section's own build cache: empty at the start, whatever the machine's cache holds.
    const buildCache = `${path.resolve(state)}-build-cache`;
    const env: NodeJS.ProcessEnv = { ...process.env, PLATFORM_STATE_DIR: state, PLATFORM_BUILD_CACHE: buildCache };
    const edited = path.join(ROOT, EDITED);
    const original = fs.readFileSync(edited, "utf8");
    const results: UpRun[] = [];
    try {
        // Never remove a folder something is still mounted under (a pod volume of a platform left running).
        const mounts = (await run("findmnt", ["-rn", "-o", "TARGET"])).stdout.split("\n").filter((m) => m.startsWith(path.resolve(state)));
        if (mounts.length > 0)
            throw new Error(
                `mounts left under ${state} (${mounts.slice(0, 3).join(", ")}): run npm run down with PLATFORM_STATE_DIR=${state}`,
            );
        fs.rmSync(state, { recursive: true, force: true });
        fs.rmSync(buildCache, { recursive: true, force: true });
        results.push(await up("`npm run up`, empty state folder, empty build cache", env, log, false));
        const between = await run("npm", ["run", "--silent", "down"], { env, cwd: ROOT });
        if (between.code !== 0) throw new Error(`npm run down between the empty-state runs: ${between.stderr.slice(-2000)}`);
        fs.rmSync(state, { recursive: true, force: true });
        results.push(await up("`npm run up`, empty state folder, build cache kept", env, log, false));
        results.push(await up("`npm run up`, nothing changed", env, log, false));
        for (let i = 1; i <= runs; i++) {
            fs.writeFileSync(edited, `${original}\n// bench loop edit ${String(i)} ${new Date().toISOString()}\n`);
            results.push(await up(`edit app/src, \`npm run up\` until the new version answers (${String(i)})`, env, log, true));
        }
    } finally {
        fs.writeFileSync(edited, original);
        const down = await run("npm", ["run", "--silent", "down"], { env, cwd: ROOT });
        log(`loop: npm run down exited ${String(down.code)}`);
        if (down.code === 0) fs.rmSync(buildCache, { recursive: true, force: true });
    }
    const s = (ms: number) => (ms / 1000).toFixed(1);
    const platformPhases = (r: UpRun) =>
        r.phases.filter((p) => !/^(npm run build|pulumi up|app answers)/.test(p.name)).reduce((sum, p) => sum + p.ms, 0);
    return [
        `Embedded platform, state folder ${state}; wall s. Platform phases: up.sh's phases before \`npm run build\` (prerequisites, docker, registry, buildkit, base images, control plane, node). Image and rollout: the steps' durations in pulumi's progress display (whole seconds); readiness: the new pod's container start → Ready.`,
        "",
        renderTable(
            [
                "run",
                "total s",
                "until new version s",
                "platform phases s",
                "npm run build s",
                "pulumi up s",
                "images built+pushed s (web)",
                "rollout s",
                "readiness s",
                "app answers s",
            ],
            results.map((r) => [
                r.label,
                s(r.totalMs),
                s(r.answeredMs),
                s(platformPhases(r)),
                s(phaseMs(r.phases, "npm run build")),
                s(phaseMs(r.phases, "pulumi up")),
                `${String(r.imageS)} (${String(r.webImageS)})`,
                String(r.rolloutS),
                r.readinessS === undefined ? "" : String(r.readinessS),
                s(phaseMs(r.phases, "app answers")),
            ]),
        ),
        "",
        `Goals: edit → new version ≤ 30 s; empty state folder ≤ 60 s (both rows: the first is a machine's first run); nothing changed ≤ 5 s. Phases of each run: ${results.map((r) => `${r.label}: ${r.phases.map((p) => `${p.name} ${s(p.ms)}`).join("; ")}`).join(" | ")}`,
    ].join("\n");
}
