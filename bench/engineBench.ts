/**
 * Section "engine": on one harness (kwok control plane, registry, BuildKit), a first `pulumi up`
 * and no-op `pulumi preview`s of the dev stack, beside `kubectl apply --server-side` of the same
 * objects, read back from the API server after the up and applied into a fresh namespace.
 */
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { configOnHarness, Harness, startHarness } from "../harness/engineHarness";
import { createStack, TestStack } from "../harness/pulumiCli";
import { must, REPO, run, toolchainEnv } from "../harness/shell";
import { ROOT } from "./proc";
import { KubeObject, orderForApply, StateResource, stackObjectRefs, toManifest } from "./render";
import { formatSummary, ratio, renderTable, summarize } from "./stats";

const STACK = "bench";
const COPY_NAMESPACE = "bench-kubectl";

/** Pulumi.dev.yaml's config pointed at the harness (as the engine e2e test does). */
function stackConfig(h: Harness): Record<string, unknown> {
    const dev = parse(fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> };
    return configOnHarness(dev.config, h);
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
    const exported = await s.pulumi(["stack", "export"]);
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

/** Runs the section; `runs` no-op previews and no-op applies. Returns the table or a skip message. */
export async function engineBench(runs: number, log: (line: string) => void): Promise<string> {
    const missing = await toolchainMissing();
    if (missing !== undefined) return `Engine vs kubectl: SKIPPED, ${missing}.`;
    const env = await toolchainEnv();
    const harness = await startHarness(log);
    let stack: TestStack | undefined;
    try {
        stack = await createStack(harness.dir, STACK, stackConfig(harness), { DOCKER_CONFIG: harness.dockerConfig });
        const s = stack;
        const kubectl = (args: readonly string[]) => run("kubectl", ["--kubeconfig", harness.kubeconfig, ...args], { env, cwd: ROOT });
        // On a loaded machine the API server can time out mid-up; an up resumes where it stopped.
        let upMs = 0;
        let upAttempts = 0;
        for (;;) {
            upAttempts++;
            const start = process.hrtime.bigint();
            const up = await s.pulumi(["up", "--yes", "--skip-preview"]);
            upMs += Number(process.hrtime.bigint() - start) / 1e6;
            log(`engine: pulumi up attempt ${String(upAttempts)}: exit ${String(up.code)} after ${(upMs / 1000).toFixed(1)} s in all`);
            if (up.code === 0) break;
            if (upAttempts >= 3)
                throw new Error(`pulumi up failed ${String(upAttempts)} times:\n${up.stdout.slice(-4000)}\n${up.stderr.slice(-2000)}`);
        }
        const previews: number[] = [];
        for (let i = 0; i < runs; i++)
            previews.push(await timed(`no-op pulumi preview ${String(i + 1)}`, () => s.pulumi(["preview", "--expect-no-changes"]), log));

        const milestones = await previewMilestones(s);
        const appNamespace = (stackConfig(harness)["platform:app"] as { namespace?: string } | undefined)?.namespace ?? "app";
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
        const noop = summarize(applies);
        const sec = (ms: number) => (ms / 1000).toFixed(2);
        const secs = (x: ReturnType<typeof summarize>) =>
            formatSummary({ ...x, min: x.min / 1000, median: x.median / 1000, max: x.max / 1000 }, 2);
        return [
            `Engine vs kubectl on one harness (kwok control plane), dev stack: ${String(refs.length)} Kubernetes objects (+ 3 images, 2 passwords, providers and components in the engine). s as median [min–max].`,
            `kubectl copy: the stack's objects read back from the API after the up (kubectl get -o json), status/managedFields/resourceVersion/uid/clusterIP/nodePort stripped, applied server-side into namespace ${COPY_NAMESPACE}.`,
            "",
            renderTable(
                ["step", "wall s", "runs", "× no-op kubectl apply"],
                [
                    [
                        `first pulumi up (builds 3 images, waits for readiness)${upAttempts > 1 ? `, ${String(upAttempts)} attempts summed` : ""}`,
                        sec(upMs),
                        "1",
                        ratio(upMs, noop.median),
                    ],
                    ["no-op pulumi preview", secs(preview), String(preview.runs), ratio(preview.median, noop.median)],
                    ["first kubectl apply --server-side (create)", sec(firstApplyMs), "1", ratio(firstApplyMs, noop.median)],
                    [
                        "… + kubectl rollout status of its workloads",
                        sec(firstApplyMs + rolloutMs),
                        "1",
                        ratio(firstApplyMs + rolloutMs, noop.median),
                    ],
                    ["no-op kubectl apply --server-side", secs(noop), String(noop.runs), "1.00×"],
                ],
            ),
            "",
            `Goal: no-op preview ≤ 1.5× the no-op kubectl apply: ${preview.median <= 1.5 * noop.median ? "met" : "MISSED"} (${ratio(preview.median, noop.median)}).`,
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
