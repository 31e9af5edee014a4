/**
 * The one-command local platform, for real: platform/up.sh on a clean state folder (docker,
 * registry, BuildKit, control plane, one real node with containerd, CoreDNS) and `pulumi up` of the
 * dev stack; then the app through its URL (write an item, read it as a miss then a hit, metrics),
 * the pods on the real node with the restricted securityContext, a deleted web pod replaced, a
 * second up with no changes, autoscaling under bounded load (metrics-server feeds the HPA: web
 * scales up and back down, a preview while scaled up has no changes, the VPA recommends), faults (PostgreSQL and Redis pods deleted come back with their data,
 * a crash of every process then npm run up, npm run stop / start keep the stack and its data, zero
 * failed requests under load during a rolling update and a web pod deletion), and
 * down leaving no process of the state folder alive.
 *
 * The dev stack names registry 127.0.0.1:5000 and NodePort 30080 and the node owns host-wide
 * iptables chains, so only one local platform can run per machine: the test refuses to start when
 * the ports are taken. Run: npx tsc -p . && npx mocha --config .mocharc.e2e.json --grep "local platform"
 * LOCAL_PLATFORM_E2E_KEEP=1 leaves the temp state folder (logs) in place.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { watchEndpoints } from "./support/endpointWatch";
import { cpuLoad } from "./support/cpuLoad";
import { boundedLoad, crashPlatform, failedOutside, proxyLogNear, type LoadResult } from "./support/faults";
import { alive, eventually, pidFiles, run } from "./support/localPlatform";
import { TERMINATION_GRACE_SECONDS } from "../../components/app/kubernetes/serviceSpecs";

const REPO = path.resolve(__dirname, "..", "..", "..");

function log(message: string): void {
    console.log(`      [local platform e2e ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function portFree(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const s = net.createServer();
        s.once("error", () => {
            resolve(false);
        });
        s.listen(port, "127.0.0.1", () => {
            s.close(() => {
                resolve(true);
            });
        });
    });
}

interface PodJson {
    metadata: { name: string; labels?: Record<string, string> };
    spec: {
        nodeName?: string;
        securityContext?: { runAsNonRoot?: boolean; seccompProfile?: { type?: string } };
        containers: {
            name: string;
            securityContext?: {
                runAsNonRoot?: boolean;
                allowPrivilegeEscalation?: boolean;
                readOnlyRootFilesystem?: boolean;
                capabilities?: { drop?: string[] };
                runAsUser?: number;
            };
        }[];
    };
    status: { phase: string };
}

/** What the autoscaling test reads of an autoscaling/v2 HorizontalPodAutoscaler. */
interface HpaJson {
    spec: { minReplicas: number; maxReplicas: number; behavior?: { scaleDown?: { stabilizationWindowSeconds?: number } } };
    status: {
        currentReplicas?: number;
        desiredReplicas?: number;
        currentMetrics?: { resource?: { name: string; current: { averageUtilization?: number } } }[];
    };
}

/** What the autoscaling test reads of an autoscaling.k8s.io/v1 VerticalPodAutoscaler. */
interface VpaJson {
    spec: { targetRef: { name: string }; updatePolicy?: { updateMode?: string } };
    status?: {
        recommendation?: {
            containerRecommendations?: {
                containerName: string;
                target: { cpu: string; memory: string };
                lowerBound?: Record<string, string>;
                upperBound?: Record<string, string>;
            }[];
        };
    };
}

describe("local platform: npm run up / down", function () {
    let state: string;
    let logFile: string;
    let env: NodeJS.ProcessEnv;
    let appUrl = "";

    const script = async (name: string) => {
        const started = Date.now();
        const result = await run("bash", [path.join(REPO, "platform", `${name}.sh`)], env, logFile, REPO);
        log(`${name}.sh: exit ${result.code} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
        return result;
    };
    const kubectl = async (args: readonly string[]) => {
        const r = await run("kubectl", ["--kubeconfig", path.join(state, "kubeconfig"), ...args], env, logFile, REPO);
        if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.output}`);
        return r.output;
    };
    const pods = async (): Promise<PodJson[]> =>
        (JSON.parse(await kubectl(["-n", "app", "get", "pods", "-o", "json"])) as { items: PodJson[] }).items;
    // Fault recovery: what was done, and how long until the app answered with the data again.
    const recoveries: { fault: string; seconds: number }[] = [];
    const recovered = (fault: string, since: number) => {
        const seconds = Math.round((Date.now() - since) / 1000);
        recoveries.push({ fault, seconds });
        log(`recovered from "${fault}" in ${seconds} s`);
    };
    // The data services' own clients, inside their pods: a row of the items table, a Redis key.
    const psql = (sql: string) =>
        kubectl([
            "-n",
            "app",
            "exec",
            "postgres-0",
            "-c",
            "postgres",
            "--",
            "sh",
            "-c",
            `psql -At -h /var/run/postgresql -U "$(cat /run/secrets/user)" -d "$POSTGRES_DB" -c "${sql}"`,
        ]);
    const redisCli = (args: string) =>
        kubectl([
            "-n",
            "app",
            "exec",
            "redis-0",
            "-c",
            "redis",
            "--",
            "sh",
            "-c",
            `redis-cli --no-auth-warning -a "$(sed -n 's/^requirepass //p' /run/secrets/redis.conf)" ${args}`,
        ]);
    const REDIS_KEY = "e2e-fault-key";
    let faultItem: { id: number; name: string } | undefined;
    // The item and the key written before the faults are read again after each of them.
    const dataIsBack = async () => {
        if (faultItem === undefined) throw new Error("no item was written before the faults");
        const r = await fetch(`${appUrl}/items/${faultItem.id}`);
        if (r.status !== 200) return undefined;
        const body = (await r.json()) as { name?: string };
        if (body.name !== faultItem.name) return undefined;
        if ((await psql(`select name from items where id = ${faultItem.id}`)).trim() !== faultItem.name) return undefined;
        return (await redisCli(`GET ${REDIS_KEY}`)).trim() === "kept" ? true : undefined;
    };
    const podReady = async (name: string) => {
        const pod = JSON.parse(await kubectl(["-n", "app", "get", "pod", name, "-o", "json"])) as {
            status: { conditions?: { type: string; status: string }[] };
        };
        return pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true ? true : undefined;
    };
    // pulumi on this state folder's copy of the stack config (the committed file stays as it is).
    const pulumiOnCopy = async (args: string) => {
        const script = `source tools/env.sh && export PULUMI_BACKEND_URL=file://${state}/state PULUMI_CONFIG_PASSPHRASE= DOCKER_CONFIG=${state}/buildkit/docker-config && pulumi ${args} -s dev --non-interactive --config-file ${path.join(state, "Pulumi.dev.yaml")}`;
        const r = await run("bash", ["-c", script], env, logFile, REPO);
        if (r.code !== 0) throw new Error(`pulumi ${args}: ${r.output.slice(-3000)}`);
        return r.output;
    };
    // The app namespace's events (pods killed, probes failed) with their times: read next to a
    // failed load's send times, they say which pod a failure met.
    const eventTimeline = async () =>
        kubectl([
            "-n",
            "app",
            "get",
            "events",
            "--sort-by=.lastTimestamp",
            "-o",
            "custom-columns=TIME:.lastTimestamp,OBJECT:.involvedObject.name,REASON:.reason,MESSAGE:.message",
        ]);
    // kube-proxy's syncs (and anything else it logged) around each failed request's send time.
    const proxyNear = (load: LoadResult) => [
        "kube-proxy log within 3 s of a failed request (offset from it):",
        ...proxyLogNear(path.join(state, "node", "logs", "kube-proxy.log"), load.failedSentAt),
    ];
    const readyWebPods = async () =>
        (await pods()).filter((p) => p.metadata.name.startsWith("web-") && p.status.phase === "Running").length;
    // `faultAt` places each failed request on the fault's timeline (seconds after the fault began,
    // by when it was sent, negative before it): a burst just after the preStop pause would say
    // endpoints were removed late; one far from the fault is not the fault's doing.
    const describeLoad = (what: string, load: LoadResult, faultAt: number) => {
        const signed = (ms: number) => `${ms >= 0 ? "+" : "-"}${(Math.abs(ms) / 1000).toFixed(2)}`;
        const offsets = load.failedSentAt.slice(0, 20).map((t) => signed(t - faultAt));
        const when = offsets.length > 0 ? `, sent at ${offsets.join(", ")} s from the fault` : "";
        const span = ((load.endedAt - load.startedAt) / 1000).toFixed(0);
        return `${what}: ${load.sent} requests in ${span} s, ${load.ok} ok, ${load.failed} failed ${JSON.stringify(load.failures)}${when}`;
    };

    before(async function () {
        for (const port of [5000, 30080]) {
            if (!(await portFree(port)))
                throw new Error(`127.0.0.1:${port} is taken: another local platform runs (npm run down there first)`);
        }
        state = fs.mkdtempSync(path.join(os.tmpdir(), "local-platform-e2e-"));
        logFile = path.join(state, "..", `${path.basename(state)}.log`);
        log(`state folder ${state}, log ${logFile}`);
        const tc = path.join(process.env.PLATFORM_CACHE ?? path.join(os.homedir(), ".cache", "multicloud-platform"), "toolchain");
        env = { ...process.env, PLATFORM_STATE_DIR: state, PATH: `${tc}/kubernetes-1.35.4/bin:${process.env.PATH ?? ""}` };
    });

    after(async function () {
        if (state === undefined) return;
        const left = pidFiles(state).filter((p) => alive(p.pid));
        if (left.length > 0) await script("down");
        if (process.env.LOCAL_PLATFORM_E2E_KEEP === undefined) fs.rmSync(state, { recursive: true, force: true });
    });

    it("up: one command brings the platform and the dev stack up and prints the app URL", async function () {
        const up = await script("up");
        assert.strictEqual(up.code, 0, up.output.slice(-4000));
        const lines = up.output.trim().split("\n");
        appUrl = lines[lines.length - 1].trim();
        assert.strictEqual(appUrl, "http://127.0.0.1:30080");
        log(up.output.split("\n").find((l) => l.includes("phases:")) ?? "");
    });

    it("the app answers: an item is written, read as a miss then a hit, and metrics count the hit", async function () {
        const created = await fetch(`${appUrl}/items`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ name: "local", data: { by: "e2e" } }),
        });
        assert.strictEqual(created.status, 201, await created.clone().text());
        const item = (await created.json()) as { id: number };
        const first = await fetch(`${appUrl}/items/${item.id}`);
        const second = await fetch(`${appUrl}/items/${item.id}`);
        assert.deepStrictEqual(
            [first.status, first.headers.get("x-cache"), second.status, second.headers.get("x-cache")],
            [200, "miss", 200, "hit"],
        );
        const metrics = await (await fetch(`${appUrl}/metrics`)).text();
        const hits = Number(/^cache_hits_total (\d+)/m.exec(metrics)?.[1] ?? "0");
        assert.ok(hits >= 1, `cache_hits_total is ${hits}`);
    });

    it("pods run on the real node with the restricted securityContext", async function () {
        const nodes = JSON.parse(await kubectl(["get", "nodes", "-o", "json"])) as {
            items: { metadata: { name: string; labels: Record<string, string> } }[];
        };
        assert.deepStrictEqual(
            nodes.items.map((n) => n.metadata.name),
            ["platform-node"],
        );
        assert.ok(!("type" in nodes.items[0].metadata.labels) || nodes.items[0].metadata.labels.type !== "kwok", "the node is a kwok fake");
        const all = await pods();
        for (const prefix of ["web-", "redis-", "postgres-"])
            assert.ok(
                all.some((p) => p.metadata.name.startsWith(prefix)),
                `no ${prefix}* pod`,
            );
        for (const pod of all) {
            assert.strictEqual(pod.status.phase, "Running", pod.metadata.name);
            assert.strictEqual(pod.spec.nodeName, "platform-node", pod.metadata.name);
            for (const c of pod.spec.containers) {
                const sc = c.securityContext ?? {};
                assert.ok(
                    sc.runAsNonRoot === true || pod.spec.securityContext?.runAsNonRoot === true,
                    `${pod.metadata.name}/${c.name} runAsNonRoot`,
                );
                assert.strictEqual(sc.allowPrivilegeEscalation, false, `${pod.metadata.name}/${c.name} allowPrivilegeEscalation`);
                assert.deepStrictEqual(sc.capabilities?.drop, ["ALL"], `${pod.metadata.name}/${c.name} capabilities.drop`);
            }
        }
        const web = all.find((p) => p.metadata.name.startsWith("web-"));
        assert.strictEqual(web?.spec.containers[0].securityContext?.readOnlyRootFilesystem, true);
    });

    it("a deleted web pod is replaced and the app answers again", async function () {
        const before = (await pods()).filter((p) => p.metadata.name.startsWith("web-")).map((p) => p.metadata.name);
        await kubectl(["-n", "app", "delete", "pod", before[0], "--wait=true"]);
        await eventually("a new web pod Running and the app ready", 180, async () => {
            const now = (await pods()).filter(
                (p) => p.metadata.name.startsWith("web-") && !before.includes(p.metadata.name) && p.status.phase === "Running",
            );
            if (now.length === 0) return undefined;
            const r = await fetch(`${appUrl}/readyz`);
            return r.ok ? true : undefined;
        });
    });

    it("up again with nothing changed: no changes", async function () {
        const up = await script("up");
        assert.strictEqual(up.code, 0, up.output.slice(-4000));
        assert.ok(
            !/[+~-] \d+ to (create|update|replace|delete)|\d+ (created|updated|replaced|deleted)/.test(
                up.output.replace(/\d+ unchanged/g, ""),
            ),
            up.output.slice(-3000),
        );
        assert.match(up.output, /\d+ unchanged/);
    });

    it("autoscaling: metrics-server feeds the HPA, bounded load scales web up and its end scales it down, preview stays clean, the VPA recommends", async function () {
        // kubectl top is the metrics API the HPA reads (metrics.k8s.io through the aggregation layer).
        const top = await eventually("kubectl top pods -n app", 120, async () => {
            const out = await kubectl(["top", "pods", "-n", "app", "--no-headers"]);
            return /^web-\S+\s+\d+m\s+\d+Mi/m.test(out) ? out : undefined;
        });
        log(`kubectl top pods -n app:\n${top.trimEnd()}`);
        // Short scale-down windows for the test, through the stack config like a user would set them.
        for (const [key, value] of [
            ["scaleDown.stabilizationSeconds", 15],
            ["scaleDown.periodSeconds", 15],
            ["scaleDown.percent", 100],
        ] as const)
            await pulumiOnCopy(`config set --path platform:app.hpa.${key} ${value}`);
        await pulumiOnCopy("up --yes --skip-preview");
        const hpa = async () => JSON.parse(await kubectl(["-n", "app", "get", "hpa", "web", "-o", "json"])) as HpaJson;
        const cpuNow = (h: HpaJson) =>
            h.status.currentMetrics?.find((m) => m.resource?.name === "cpu")?.resource?.current.averageUtilization;
        const known = await eventually("the HPA's CPU metric known", 120, async () => {
            const h = await hpa();
            return cpuNow(h) !== undefined ? h : undefined;
        });
        assert.strictEqual(known.spec.behavior?.scaleDown?.stabilizationWindowSeconds, 15);
        const min = known.spec.minReplicas;
        log(
            `HPA web: ${known.status.currentReplicas} replicas (min ${min}, max ${known.spec.maxReplicas}), CPU ${cpuNow(known)}% of request`,
        );

        const created = await fetch(`${appUrl}/items`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ name: "autoscale", data: { by: "e2e" } }),
        });
        assert.strictEqual(created.status, 201, await created.clone().text());
        const url = `${appUrl}/items/${((await created.json()) as { id: number }).id}`;
        // Loopback only, bounded by count and time; stopped as soon as the scale-up is seen.
        const load = cpuLoad({ url, concurrency: 8, maxRequests: 500_000, timeLimitMs: 300_000 });
        let scaledUp: HpaJson;
        try {
            scaledUp = await eventually("web scaled above its minimum", 240, async () => {
                const h = await hpa();
                return (h.status.currentReplicas ?? 0) > min ? h : undefined;
            });
        } finally {
            load.stop();
        }
        const loaded = await load.done;
        const upSeconds = Math.round((Date.now() - loaded.startedAt) / 1000);
        log(
            `scale-up: ${min} -> ${scaledUp.status.currentReplicas} replicas (CPU ${cpuNow(scaledUp)}% of request) ${upSeconds} s after the load began; load: ${loaded.sent} requests, ${loaded.failed} failed`,
        );
        // The program never fights the autoscaler: the Deployment has no replicas field to reset.
        const preview = await pulumiOnCopy("preview --expect-no-changes --diff");
        assert.doesNotMatch(preview, /[+~-] \d+ to (create|update|replace|delete)/, preview.slice(-3000));

        const down = await eventually("web back at its minimum", 300, async () => {
            const h = await hpa();
            return h.status.currentReplicas === min && h.status.desiredReplicas === min ? h : undefined;
        });
        log(
            `scale-down: back to ${down.status.currentReplicas} replica(s) ${Math.round((Date.now() - loaded.endedAt) / 1000)} s after the load ended`,
        );

        const recommendation = await eventually("a VPA recommendation for container web", 240, async () => {
            const list = JSON.parse(await kubectl(["-n", "app", "get", "verticalpodautoscalers", "-o", "json"])) as { items: VpaJson[] };
            const vpa = list.items.find((v) => v.spec.targetRef.name === "web");
            assert.ok(vpa, "no VerticalPodAutoscaler targets deployment web");
            assert.strictEqual(vpa.spec.updatePolicy?.updateMode, "Off");
            return vpa.status?.recommendation?.containerRecommendations?.find((c) => c.containerName === "web");
        });
        log(
            `VPA recommendation for web: target ${JSON.stringify(recommendation.target)}, bounds ${JSON.stringify(recommendation.lowerBound)} .. ${JSON.stringify(recommendation.upperBound)}`,
        );
        assert.match(recommendation.target.cpu, /^\d+m?$/);
        assert.match(recommendation.target.memory, /^\d+(k|Ki|M|Mi|G|Gi)?$/);
    });

    // Before the crash and stop/start faults: after those, the node port has been seen to refuse an
    // occasional connection for under a second at times no pod changed (the node itself answered
    // RST: kube-proxy's DNAT missed it; open, see the README's local platform section). This test
    // is about what the app's own rollout and a pod deletion cost, on a platform not yet restarted.
    it("faults (min replicas 2): a rolling update and a deleted web pod under bounded load fail no request", async function () {
        // Two replicas through the stack config, on this state folder's copy (the next up makes it again).
        await pulumiOnCopy("config set --path platform:app.replicas.min 2");
        await pulumiOnCopy("up --yes --skip-preview");
        await eventually("two web pods Running and ready", 300, async () =>
            (await readyWebPods()) >= 2 && (await fetch(`${appUrl}/readyz`)).ok ? true : undefined,
        );
        const created = await fetch(`${appUrl}/items`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ name: "under-load", data: { by: "e2e" } }),
        });
        assert.strictEqual(created.status, 201, await created.clone().text());
        const url = `${appUrl}/items/${((await created.json()) as { id: number }).id}`;
        // 20 requests a second for 90 s at most; a request without an answer after 5 s fails.
        const shape = { url, intervalMs: 50, requestTimeoutMs: 5000, timeLimitMs: 150_000 };

        const rollWatch = watchEndpoints(path.join(state, "kubeconfig"), "app", "web", env);
        const rolling = boundedLoad({ ...shape, requests: 1800 });
        await new Promise((r) => setTimeout(r, 3000));
        const since = Date.now();
        await kubectl(["-n", "app", "rollout", "restart", "deployment/web"]);
        await kubectl(["-n", "app", "rollout", "status", "deployment/web", "--timeout", "300s"]);
        const rolledAt = Date.now();
        log(
            `rolling update of deployment/web (2 replicas) from ${new Date(since).toISOString()} done in ${Math.round((rolledAt - since) / 1000)} s`,
        );
        const rollLoad = await rolling;
        const rollEndpoints = rollWatch.stop();
        log(describeLoad("load during the rolling update", rollLoad, since));
        if (rollLoad.failed > 0)
            log([await eventTimeline(), "web EndpointSlice changes:", ...rollEndpoints, ...proxyNear(rollLoad)].join("\n"));
        assert.ok(rollLoad.endedAt > rolledAt, "the load ended before the rollout did: it does not cover the whole rolling update");
        assert.strictEqual(rollLoad.sent, 1800, "the time limit cut the load short");
        // The rolling update answers for what was sent while it ran and until its last old pod
        // was gone (the termination grace after the rollout). A failure sent before the fault or after that is the
        // open post-rollout ECONNREFUSED (issue 21's note): logged here, never hidden.
        const rollWindowEnd = rolledAt + TERMINATION_GRACE_SECONDS * 1000;
        const late = failedOutside(rollLoad, since, rollWindowEnd);
        if (late > 0) log(`${late} failed request(s) sent outside the rolling update's window (see the timeline above)`);
        assert.strictEqual(rollLoad.failed - late, 0, describeLoad("rolling update", rollLoad, since));

        const before = (await pods()).filter((p) => p.metadata.name.startsWith("web-")).map((p) => p.metadata.name);
        const deleteWatch = watchEndpoints(path.join(state, "kubeconfig"), "app", "web", env);
        const deleting = boundedLoad({ ...shape, requests: 1200 });
        await new Promise((r) => setTimeout(r, 3000));
        const deletedAt = Date.now();
        await kubectl(["-n", "app", "delete", "pod", before[0], "--wait=false"]);
        await eventually("a replacement web pod ready", 300, async () => {
            const fresh = (await pods()).filter((p) => p.metadata.name.startsWith("web-") && !before.includes(p.metadata.name));
            for (const p of fresh) if ((await podReady(p.metadata.name)) === true) return true;
            return undefined;
        });
        const replacedAt = Date.now();
        log(
            `web pod ${before[0]} deleted at ${new Date(deletedAt).toISOString()}, a replacement ready in ${Math.round((replacedAt - deletedAt) / 1000)} s`,
        );
        const deleteLoad = await deleting;
        const deleteEndpoints = deleteWatch.stop();
        log(describeLoad("load during the web pod deletion", deleteLoad, deletedAt));
        if (deleteLoad.failed > 0)
            log([await eventTimeline(), "web EndpointSlice changes:", ...deleteEndpoints, ...proxyNear(deleteLoad)].join("\n"));
        assert.ok(deleteLoad.endedAt > replacedAt, "the load ended before the replacement was ready");
        assert.strictEqual(deleteLoad.sent, 1200, "the time limit cut the load short");
        const deleteWindowEnd = replacedAt + TERMINATION_GRACE_SECONDS * 1000;
        const lateDelete = failedOutside(deleteLoad, deletedAt, deleteWindowEnd);
        if (lateDelete > 0) log(`${lateDelete} failed request(s) sent outside the pod deletion's window (see the timeline above)`);
        assert.strictEqual(deleteLoad.failed - lateDelete, 0, describeLoad("web pod deletion", deleteLoad, deletedAt));
    });

    it("faults: a deleted PostgreSQL pod and a deleted Redis pod come back with their data", async function () {
        const created = await fetch(`${appUrl}/items`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ name: "before-the-faults", data: { by: "e2e" } }),
        });
        assert.strictEqual(created.status, 201, await created.clone().text());
        faultItem = { id: ((await created.json()) as { id: number }).id, name: "before-the-faults" };
        assert.strictEqual((await redisCli(`SET ${REDIS_KEY} kept`)).trim(), "OK");
        assert.strictEqual(await dataIsBack(), true);
        for (const pod of ["postgres-0", "redis-0"]) {
            const since = Date.now();
            await kubectl(["-n", "app", "delete", "pod", pod, "--wait=true"]);
            // A generous deadline that means "never came back", not a timing assertion.
            await eventually(`${pod} Ready again with the data`, 300, async () =>
                (await podReady(pod)) === true ? dataIsBack() : undefined,
            );
            await eventually("the app ready", 120, async () => ((await fetch(`${appUrl}/readyz`)).ok ? true : undefined));
            recovered(`kubectl delete pod ${pod}`, since);
        }
    });

    it("faults: every platform process killed at once (a power loss): npm run up brings it back with the data", async function () {
        const killed = crashPlatform(state);
        log(`killed ${killed.length} processes of the state folder (SIGKILL)`);
        const since = Date.now();
        assert.notStrictEqual((await script("status")).code, 0, "status says everything runs after the crash");
        const up = await script("up");
        assert.strictEqual(up.code, 0, up.output.slice(-4000));
        await eventually("the item and the key after the crash", 300, dataIsBack);
        recovered("kill -9 of every platform process, then npm run up", since);
    });

    it("faults: npm run stop stops everything and keeps the stack; npm run start brings it back with the data", async function () {
        const stop = await script("stop");
        assert.strictEqual(stop.code, 0, stop.output.slice(-4000));
        assert.deepStrictEqual(
            pidFiles(state).filter((p) => alive(p.pid)),
            [],
        );
        assert.ok(await portFree(30080), "127.0.0.1:30080 still answers after stop");
        assert.ok(fs.existsSync(path.join(state, "state", ".pulumi", "stacks", "platform", "dev.json")), "stop removed the stack");
        const since = Date.now();
        const start = await script("start");
        assert.strictEqual(start.code, 0, start.output.slice(-4000));
        const lines = start.output.trim().split("\n");
        assert.strictEqual(lines[lines.length - 1].trim(), appUrl);
        assert.ok(!start.output.includes("pulumi up"), "start ran pulumi up");
        await eventually("the item and the key after stop/start", 300, dataIsBack);
        recovered("npm run stop, then npm run start", since);
        for (const r of recoveries) log(`fault recovery | ${r.fault} | ${r.seconds} s`);
    });

    it("pulumi config set -s dev (plain and --secret) edits Pulumi.dev.yaml the usual way and the next up deploys it", async function () {
        // The repository's Pulumi.dev.yaml is the stack's config; this state folder's copy differs
        // only in the kubeconfig path and is made again from it on every up.
        const stackFile = path.join(REPO, "Pulumi.dev.yaml");
        const committed = fs.readFileSync(stackFile, "utf8");
        const pulumi = async (args: string) => {
            const script = `source tools/env.sh && export PULUMI_BACKEND_URL=file://${state}/state PULUMI_CONFIG_PASSPHRASE= && pulumi ${args} -s dev --non-interactive`;
            const r = await run("bash", ["-c", script], env, logFile, REPO);
            if (r.code !== 0) throw new Error(`pulumi ${args}: ${r.output}`);
            return r.output.trim();
        };
        try {
            await pulumi("config set --path platform:app.replicas.max 2");
            await pulumi("config set --secret platform:postgresPassword e2e-config-secret");
            const edited = fs.readFileSync(stackFile, "utf8");
            assert.match(edited, /platform:postgresPassword:\n\s+secure: v1:/);
            assert.ok(!edited.includes("e2e-config-secret"), "the secret is in Pulumi.dev.yaml in plain text");
            assert.ok(
                edited.includes("# Every Kubernetes and image resource names its provider"),
                "config set dropped the file's comments",
            );
            const up = await script("up");
            assert.strictEqual(up.code, 0, up.output.slice(-4000));
            assert.strictEqual(fs.readFileSync(stackFile, "utf8"), edited, "npm run up rewrote Pulumi.dev.yaml");
            const hpa = JSON.parse(await kubectl(["-n", "app", "get", "hpa", "web", "-o", "json"])) as { spec: { maxReplicas: number } };
            assert.strictEqual(hpa.spec.maxReplicas, 2);
            assert.strictEqual(
                await pulumi(`config get platform:postgresPassword --config-file ${path.join(state, "Pulumi.dev.yaml")}`),
                "e2e-config-secret",
            );
        } finally {
            fs.writeFileSync(stackFile, committed);
        }
    });

    it("down: the stack is destroyed and nothing of the state folder runs", async function () {
        const down = await script("down");
        assert.strictEqual(down.code, 0, down.output.slice(-4000));
        const left = pidFiles(state).filter((p) => alive(p.pid));
        assert.deepStrictEqual(left, []);
        assert.ok(await portFree(30080), "127.0.0.1:30080 still answers");
        assert.ok(await portFree(5000), "127.0.0.1:5000 still taken");
    });
});
