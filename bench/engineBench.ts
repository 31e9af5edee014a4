/**
 * Section "engine": on one harness (kwok control plane, registry, BuildKit), a first `pulumi up`
 * and no-op `pulumi preview`s of the dev stack, side by side with a flat `@pulumi/kubernetes`
 * program of the same objects (bench/flatProgram.ts) in its own namespace, then a PR preview of
 * each after an edit of the app's source, and `kubectl apply --server-side` of the same objects,
 * read back from the API server after the up and applied into a fresh namespace.
 */
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { configOnHarness, Harness, startHarness } from "../harness/engineHarness";
import { createStack, TestStack } from "../harness/pulumiCli";
import { must, REPO, run, toolchainEnv } from "../harness/shell";
import { ExportedResource, flatSpec } from "./flatSpec";
import { ROOT } from "./proc";
import { KubeObject, orderForApply, StateResource, stackObjectRefs, toManifest } from "./render";
import { formatSummary, ratio, renderTable, summarize } from "./stats";

const STACK = "bench";
const FLAT_STACK = "bench-flat";
const COPY_NAMESPACE = "bench-kubectl";
const FLAT_NAMESPACE = "bench-flat";
/** The app source file a PR preview edits (in the harness's copy of app/). */
const EDITED_SOURCE = path.join("src", "health.ts");

/**
 * Pulumi.dev.yaml's config pointed at the harness (as the engine e2e test does), with the sample
 * service's build context at `appCopy`, a copy of app/ the PR preview may edit.
 */
function stackConfig(h: Harness, appCopy?: string): Record<string, unknown> {
    const dev = parse(fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> };
    const config = configOnHarness(dev.config, h);
    return appCopy === undefined ? config : { ...config, "platform:services": [{ name: "web", context: appCopy }] };
}

/** Copies what app/'s image build reads (not node_modules or build output) to `to`. */
function copyAppSource(to: string): void {
    const skip = new Set(["node_modules", "dist", "test-dist", "test"]);
    fs.cpSync(path.join(REPO, "app"), to, { recursive: true, filter: (src) => !skip.has(path.basename(src)) });
}

/**
 * A Pulumi project folder for the flat program: its entry requires the compiled bench/flatProgram.js,
 * and node_modules is the repository's, so both programs load the same SDK.
 */
function writeFlatProject(dir: string): void {
    fs.mkdirSync(dir, { recursive: true });
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const deps = Object.fromEntries(
        ["@pulumi/pulumi", "@pulumi/kubernetes", "@pulumi/docker-build"].map((d) => [d, pkg.dependencies[d]] as const),
    );
    fs.writeFileSync(
        path.join(dir, "Pulumi.yaml"),
        stringify({ name: "bench-flat", runtime: { name: "nodejs", options: { typescript: false } } }),
    );
    fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name: "bench-flat", private: true, main: "index.js", dependencies: deps }),
    );
    fs.writeFileSync(path.join(dir, "index.js"), `require(${JSON.stringify(path.join(ROOT, "bin", "bench", "flatProgram.js"))}).main();\n`);
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
}

/** `pulumi up` until it succeeds (at most 3 attempts: on a loaded machine the API server can time out mid-up); summed ms and attempts. */
async function upWithRetries(s: TestStack, label: string, log: (line: string) => void): Promise<{ ms: number; attempts: number }> {
    let ms = 0;
    for (let attempts = 1; ; attempts++) {
        const start = process.hrtime.bigint();
        const up = await s.pulumi(["up", "--yes", "--skip-preview"]);
        ms += Number(process.hrtime.bigint() - start) / 1e6;
        log(`engine: ${label} up attempt ${String(attempts)}: exit ${String(up.code)} after ${(ms / 1000).toFixed(1)} s in all`);
        if (up.code === 0) return { ms, attempts };
        if (attempts >= 3)
            throw new Error(`${label} pulumi up failed ${String(attempts)} times:\n${up.stdout.slice(-4000)}\n${up.stderr.slice(-2000)}`);
    }
}

/** The "Resources:" summary of a preview's output, on one line ("~ 2 to update, 19 unchanged"). */
function changeSummary(stdout: string): string {
    const at = stdout.lastIndexOf("Resources:");
    if (at < 0) return "(no summary)";
    return stdout
        .slice(at + "Resources:".length)
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "" && !l.startsWith("Duration"))
        .slice(0, 4)
        .join(", ");
}

async function timed(
    label: string,
    action: () => Promise<{ code: number; stdout: string; stderr: string }>,
    log: (line: string) => void,
): Promise<number> {
    const start = process.hrtime.bigint();
    const result = await action();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.code !== 0)
        throw new Error(`${label} exited ${String(result.code)}:\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-3000)}`);
    log(`engine: ${label}: ${(ms / 1000).toFixed(1)} s`);
    return ms;
}

/** Namespaced kinds the dev stack creates. */
const STACK_KINDS =
    "deployments.apps,statefulsets.apps,horizontalpodautoscalers.autoscaling,secrets,services,serviceaccounts,networkpolicies.networking.k8s.io,poddisruptionbudgets.policy";

/**
 * The stack's Kubernetes objects as the API server holds them: named by the state (`pulumi stack
 * export`) when it can be read, else everything of the stack's kinds in the app namespace, minus
 * what Kubernetes itself puts there (the "default" ServiceAccount).
 */
async function stackObjects(
    s: TestStack,
    namespace: string,
    kubectl: (args: readonly string[]) => Promise<string>,
    log: (line: string) => void,
): Promise<{ items: KubeObject[] }> {
    // The helper appends --config-file, which `pulumi stack export` rejects; then the namespace decides.
    const exported = await s.stackCommand(["stack", "export"]);
    if (exported.code === 0) {
        const state = JSON.parse(exported.stdout) as { deployment: { resources?: StateResource[] } };
        return JSON.parse(await kubectl(["-n", namespace, "get", ...stackObjectRefs(state.deployment.resources ?? []), "-o", "json"])) as {
            items: KubeObject[];
        };
    }
    log(
        `engine: stack export exited ${String(exported.code)} (${exported.stderr.trim().slice(0, 200)}); taking the objects of namespace ${namespace}`,
    );
    const ns = JSON.parse(await kubectl(["get", "namespace", namespace, "-o", "json"])) as KubeObject;
    const inside = JSON.parse(await kubectl(["-n", namespace, "get", STACK_KINDS, "-o", "json"])) as { items: KubeObject[] };
    return { items: [ns, ...inside.items.filter((o) => !(o.kind === "ServiceAccount" && o.metadata.name === "default"))] };
}

/** Offsets of plugin launches and of the first and last resource registrations in a verbose no-op preview. */
async function previewMilestones(s: TestStack): Promise<string[]> {
    const verbose = await s.pulumi(["preview", "--logtostderr", "-v=5"]);
    // The CLI logs one JSON object per line: {"time": ISO, "msg": ...}.
    const stamped: { line: string; ms: number }[] = [];
    for (const raw of (verbose.stdout + verbose.stderr).split("\n")) {
        if (!raw.startsWith("{")) continue;
        try {
            const entry = JSON.parse(raw) as { time?: string; msg?: string };
            if (entry.time !== undefined && entry.msg !== undefined)
                stamped.push({ line: entry.msg.replace(/\s+/g, " ").slice(0, 150), ms: Date.parse(entry.time) });
        } catch {
            // Not a log line.
        }
    }
    if (stamped.length === 0) return [`(no JSON log lines; preview exited ${String(verbose.code)})`];
    const t0 = stamped[0].ms;
    const interesting = /launch|plugin|RegisterResource|Configure|language|program|GetRequiredPackages|snapshot|Diff|Check|Run/i;
    const seen = new Set<string>();
    const picked = stamped.filter((x, i) => {
        if (i === 0 || i === stamped.length - 1) return true;
        if (!interesting.test(x.line)) return false;
        const key = x.line.slice(0, 40);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
    });
    return picked.slice(0, 60).map((x) => `${((x.ms - t0) / 1000).toFixed(2).padStart(6)} s  ${x.line}`);
}

/** Whether the toolchain's pulumi and kubectl are built; the reason when not. */
async function toolchainMissing(): Promise<string | undefined> {
    const env = await toolchainEnv();
    const found = await run("bash", ["-c", "command -v pulumi && command -v kubectl && command -v kwok"], { env });
    return found.code === 0 && found.stdout.includes(path.join(".cache", "multicloud-platform"))
        ? undefined
        : "the toolchain is not built (run tools/toolchain.sh all)";
}

/** Runs the section; `runs` no-op previews of each program, PR previews and no-op applies. Returns the table or a skip message. */
export async function engineBench(runs: number, log: (line: string) => void): Promise<string> {
    const missing = await toolchainMissing();
    if (missing !== undefined) return `Engine vs kubectl: SKIPPED, ${missing}.`;
    const env = await toolchainEnv();
    const harness = await startHarness(log);
    try {
        const appCopy = path.join(harness.dir, "app-src");
        copyAppSource(appCopy);
        const config = stackConfig(harness, appCopy);
        const s = await createStack(harness.dir, STACK, config, { DOCKER_CONFIG: harness.dockerConfig });
        const kubectl = (args: readonly string[]) => run("kubectl", ["--kubeconfig", harness.kubeconfig, ...args], { env, cwd: ROOT });
        const up = await upWithRetries(s, "our", log);

        // The flat program, from our state: the same objects in their own namespace.
        const exported = await s.stackCommand(["stack", "export", "--show-secrets"]);
        if (exported.code !== 0) throw new Error(`pulumi stack export exited ${String(exported.code)}: ${exported.stderr.slice(-2000)}`);
        const state = JSON.parse(exported.stdout) as { deployment: { resources?: ExportedResource[] } };
        const appNamespace = (config["platform:app"] as { namespace?: string } | undefined)?.namespace ?? "app";
        const spec = flatSpec(state.deployment.resources ?? [], appNamespace, FLAT_NAMESPACE);
        const flatDir = path.join(harness.dir, "flat");
        writeFlatProject(flatDir);
        const specFile = path.join(flatDir, "spec.json");
        fs.writeFileSync(specFile, JSON.stringify(spec));
        const flat = await createStack(flatDir, FLAT_STACK, { "flat:spec": specFile }, { DOCKER_CONFIG: harness.dockerConfig }, flatDir);
        const flatUp = await upWithRetries(flat, "flat", log);
        log(`engine: flat program: ${String(spec.resources.length)} resources (${spec.resources.map((r) => r.name).join(", ")})`);

        // Interleaved, so background load hits both alike.
        const previews: number[] = [];
        const flatPreviews: number[] = [];
        for (let i = 0; i < runs; i++) {
            previews.push(
                await timed(`no-op pulumi preview ${String(i + 1)} (ours)`, () => s.pulumi(["preview", "--expect-no-changes"]), log),
            );
            flatPreviews.push(
                await timed(`no-op pulumi preview ${String(i + 1)} (flat)`, () => flat.pulumi(["preview", "--expect-no-changes"]), log),
            );
        }

        // A PR that touches only the app's source: the context hash, so the image tag, changes; nothing builds (buildOnPreview off).
        const edited = path.join(appCopy, EDITED_SOURCE);
        const original = fs.readFileSync(edited, "utf8");
        const prPreviews: number[] = [];
        const flatPrPreviews: number[] = [];
        let prSummary = "";
        let flatPrSummary = "";
        try {
            fs.writeFileSync(edited, `${original}\n// bench: a PR's edit\n`);
            for (let i = 0; i < runs; i++) {
                let out = "";
                prPreviews.push(
                    await timed(
                        `PR pulumi preview ${String(i + 1)} (ours)`,
                        async () => {
                            const r = await s.pulumi(["preview"]);
                            out = r.stdout;
                            return r;
                        },
                        log,
                    ),
                );
                prSummary = changeSummary(out);
                flatPrPreviews.push(
                    await timed(
                        `PR pulumi preview ${String(i + 1)} (flat)`,
                        async () => {
                            const r = await flat.pulumi(["preview"]);
                            out = r.stdout;
                            return r;
                        },
                        log,
                    ),
                );
                flatPrSummary = changeSummary(out);
            }
        } finally {
            fs.writeFileSync(edited, original);
        }
        log(`engine: PR preview changes: ours ${prSummary}; flat ${flatPrSummary}`);

        const milestones = await previewMilestones(s);
        const live = await stackObjects(
            s,
            appNamespace,
            (args) => must("kubectl", ["--kubeconfig", harness.kubeconfig, ...args], { env }),
            log,
        );
        const refs = live.items;
        const manifest = path.join(harness.dir, "kubectl-copy.yaml");
        // YAML 1.1 quoting: kubectl reads yes/no/on/off as booleans, and redis args hold "yes"/"no".
        fs.writeFileSync(
            manifest,
            orderForApply(live.items.map((o) => toManifest(o, COPY_NAMESPACE)))
                .map((o) => stringify(o, { version: "1.1" }))
                .join("---\n"),
        );
        const apply = () => kubectl(["apply", "--server-side", "--field-manager", "bench", "-f", manifest]);
        const firstApplyMs = await timed(`first kubectl apply --server-side (${String(live.items.length)} objects)`, apply, log);
        const workloads = live.items
            .filter((o) => o.kind === "Deployment" || o.kind === "StatefulSet")
            .map((o) => `${o.kind.toLowerCase()}/${String(o.metadata.name)}`);
        const rolloutMs = await timed(
            "kubectl rollout status of the copy",
            async () => {
                for (const w of workloads) {
                    const r = await kubectl(["-n", COPY_NAMESPACE, "rollout", "status", w, "--timeout=10m"]);
                    if (r.code !== 0) return r;
                }
                return { code: 0, stdout: "", stderr: "" };
            },
            log,
        );
        const applies: number[] = [];
        for (let i = 0; i < runs; i++) applies.push(await timed(`no-op kubectl apply ${String(i + 1)}`, apply, log));

        const preview = summarize(previews);
        const flatPreview = summarize(flatPreviews);
        const pr = summarize(prPreviews);
        const flatPr = summarize(flatPrPreviews);
        const noop = summarize(applies);
        const sec = (ms: number) => (ms / 1000).toFixed(2);
        const secs = (x: ReturnType<typeof summarize>) =>
            formatSummary({ ...x, min: x.min / 1000, median: x.median / 1000, max: x.max / 1000 }, 2);
        const attempts = (n: number) => (n > 1 ? `, ${String(n)} attempts summed` : "");
        return [
            `Engine vs flat program vs kubectl on one harness (kwok control plane), dev stack: ${String(refs.length)} Kubernetes objects (+ 3 images, 2 passwords, providers and components in the engine). s as median [min–max].`,
            `Flat program: bench/flatProgram.ts, ${String(spec.resources.length)} resources declared with the plain SDK classes from our state (namespace ${FLAT_NAMESPACE}, no components, no config schema). PR preview: ${EDITED_SOURCE} of the app's build context edited; ours: ${prSummary}; flat: ${flatPrSummary}.`,
            `kubectl copy: the stack's objects read back from the API after the up (kubectl get -o json), status/managedFields/resourceVersion/uid/clusterIP/nodePort stripped, applied server-side into namespace ${COPY_NAMESPACE}.`,
            "",
            renderTable(
                ["step", "ours s", "flat s", "runs", "ours / flat", "ours × no-op kubectl apply"],
                [
                    [
                        `first pulumi up (builds 3 images, waits for readiness)${attempts(up.attempts)}${attempts(flatUp.attempts)}`,
                        sec(up.ms),
                        sec(flatUp.ms),
                        "1",
                        ratio(up.ms, flatUp.ms),
                        ratio(up.ms, noop.median),
                    ],
                    [
                        "no-op pulumi preview",
                        secs(preview),
                        secs(flatPreview),
                        String(preview.runs),
                        `**${ratio(preview.median, flatPreview.median)}**`,
                        ratio(preview.median, noop.median),
                    ],
                    [
                        "PR pulumi preview (app source edited)",
                        secs(pr),
                        secs(flatPr),
                        String(pr.runs),
                        ratio(pr.median, flatPr.median),
                        ratio(pr.median, noop.median),
                    ],
                    ["first kubectl apply --server-side (create)", sec(firstApplyMs), "", "1", "", ratio(firstApplyMs, noop.median)],
                    [
                        "… + kubectl rollout status of its workloads",
                        sec(firstApplyMs + rolloutMs),
                        "",
                        "1",
                        "",
                        ratio(firstApplyMs + rolloutMs, noop.median),
                    ],
                    ["no-op kubectl apply --server-side", secs(noop), "", String(noop.runs), "", "1.00×"],
                ],
            ),
            "",
            `Goal: no-op preview ≤ 1.2× the flat program's: ${preview.median <= 1.2 * flatPreview.median ? "met" : "MISSED"} (${ratio(preview.median, flatPreview.median)}).`,
            `Earlier goal: no-op preview ≤ 1.5× the no-op kubectl apply: ${preview.median <= 1.5 * noop.median ? "met" : "MISSED"} (${ratio(preview.median, noop.median)}).`,
            "",
            "Where one more no-op preview spends its time (seconds since the engine's first log line, `-v=5 --logtostderr`; this run is slower for the logging):",
            "",
            ...milestones.map((m) => `    ${m}`),
        ].join("\n");
    } finally {
        // The harness holds the state and the cluster; stopping it removes both, no destroy needed.
        await harness.stop();
        if (process.env.BENCH_KEEP !== "1") fs.rmSync(harness.dir, { recursive: true, force: true });
    }
}
