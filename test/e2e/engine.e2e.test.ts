/**
 * The program through the real Pulumi engine (CLI and our Node.js language host built from Go
 * modules), against a real Kubernetes API server (kwok plays the kubelets) and real image
 * builds (docker-build provider → BuildKit → local registry). State lives in a file backend in
 * a temp folder. Run: npm run test:e2e (or npx mocha --config .mocharc.e2e.json --grep engine).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { configOnHarness, Harness, startHarness } from "../../harness/engineHarness";
import { createStack, stepCounts, stepsOf, TestStack } from "../../harness/pulumiCli";
import { must, REPO, run, seconds, toolchainEnv } from "../../harness/shell";

const STACK = "enginetest";

function log(line: string): void {
    console.log(`      [engine e2e] ${line}`);
}

/** Pulumi.dev.yaml's config, pointed at the harness. */
function stackConfig(h: Harness, overrides: (c: Record<string, unknown>) => void = () => undefined): Record<string, unknown> {
    const dev = parse(fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> };
    const config = configOnHarness(dev.config, h);
    // cache: registry, as every cloud stack builds: the provider exports the layer cache to the
    // registry next to each image, which the test reads back.
    config["platform:build"] = { ...(config["platform:build"] as object), cache: "registry" };
    overrides(config);
    return config;
}

describe("engine e2e: the local stack through the real Pulumi engine", function () {
    let harness: Harness;
    let stack: TestStack;
    let kubectlEnv: NodeJS.ProcessEnv;
    const kubectl = (args: readonly string[]) => must("kubectl", ["--kubeconfig", harness.kubeconfig, ...args], { env: kubectlEnv });
    const getJson = async <T>(args: readonly string[]): Promise<T> => JSON.parse(await kubectl([...args, "-o", "json"])) as T;
    const resourceCount = async () => {
        const exported = JSON.parse((await stack.stackCommand(["stack", "export"])).stdout) as { deployment: { resources?: unknown[] } };
        return exported.deployment.resources?.length ?? 0;
    };

    before(async function () {
        this.timeout(45 * 60 * 1000);
        const t = Date.now();
        await must(path.join(REPO, "tools", "toolchain.sh"), ["all"], { timeoutMs: 60 * 60 * 1000 });
        log(`toolchain ready (${seconds(Date.now() - t)})`);
        kubectlEnv = await toolchainEnv();
        harness = await startHarness(log);
        stack = await createStack(harness.dir, STACK, stackConfig(harness), { DOCKER_CONFIG: harness.dockerConfig });
    });

    after(async function () {
        this.timeout(5 * 60 * 1000);
        if (stack) await stack.pulumi(["destroy", "--yes", "--skip-preview"]);
        if (harness) await harness.stop();
        if (harness && process.env.E2E_KEEP !== "1") fs.rmSync(harness.dir, { recursive: true, force: true });
    });

    it("pulumi up creates the app stack, read back from the API server", async function () {
        this.timeout(30 * 60 * 1000);
        const t = Date.now();
        const up = await stack.pulumi(["up", "--yes", "--skip-preview"]);
        assert.strictEqual(up.code, 0, `pulumi up failed:\n${up.stdout.slice(-6000)}\n${up.stderr.slice(-3000)}`);
        log(`first pulumi up: ${seconds(Date.now() - t)}`);

        const ns = await getJson<{ metadata: { labels: Record<string, string> } }>(["get", "namespace", "app"]);
        assert.strictEqual(ns.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
        const deployment = await getJson<{
            spec: {
                replicas?: number;
                template: {
                    spec: {
                        securityContext: Record<string, unknown>;
                        containers: { image: string; securityContext: Record<string, unknown> }[];
                    };
                };
            };
            status: { availableReplicas?: number };
        }>(["-n", "app", "get", "deployment", "web"]);
        const container = deployment.spec.template.spec.containers[0];
        assert.match(container.image, new RegExp(`^${harness.registry.replace(/\./g, "\\.")}/web@sha256:[0-9a-f]{64}$`));
        assert.deepStrictEqual(
            [
                container.securityContext.runAsNonRoot,
                container.securityContext.allowPrivilegeEscalation,
                container.securityContext.readOnlyRootFilesystem,
                container.securityContext.capabilities,
            ],
            [true, false, true, { drop: ["ALL"] }],
        );
        assert.deepStrictEqual(deployment.spec.template.spec.securityContext.seccompProfile, { type: "RuntimeDefault" });
        assert.ok((deployment.status.availableReplicas ?? 0) >= 1, "Deployment not available");
        const hpa = await getJson<{ spec: { minReplicas: number; maxReplicas: number } }>(["-n", "app", "get", "hpa", "web"]);
        assert.deepStrictEqual([hpa.spec.minReplicas, hpa.spec.maxReplicas], [1, 3]);
        const kinds = await kubectl(["-n", "app", "get", "service,pdb,networkpolicy,secret,statefulset", "-o", "name"]);
        for (const name of [
            "service/web",
            "poddisruptionbudget.policy/web",
            "networkpolicy.networking.k8s.io/default-deny",
            "secret/web-connection",
            "statefulset.apps/redis",
            "statefulset.apps/postgres",
        ]) {
            assert.ok(kinds.split("\n").includes(name), `${name} missing from the API server:\n${kinds}`);
        }
        const sets = await getJson<{ items: { metadata: { name: string }; status: { readyReplicas?: number } }[] }>([
            "-n",
            "app",
            "get",
            "statefulsets",
        ]);
        for (const set of sets.items) assert.strictEqual(set.status.readyReplicas, 1, `${set.metadata.name} not ready`);
    });

    it("a second preview and a refresh report no changes", async function () {
        this.timeout(10 * 60 * 1000);
        const t = Date.now();
        const preview = await stack.pulumi(["preview", "--expect-no-changes"]);
        assert.strictEqual(preview.code, 0, `preview found changes:\n${preview.stdout.slice(-4000)}`);
        log(`no-op preview: ${seconds(Date.now() - t)}`);
        const refresh = await stack.pulumi(["refresh", "--yes", "--expect-no-changes", "--skip-preview"]);
        assert.strictEqual(refresh.code, 0, `refresh found drift:\n${refresh.stdout.slice(-4000)}`);
    });

    it("the registry holds each image under its b- build tag and the layer cache under buildcache", async function () {
        const tags = async (repository: string) => {
            const response = await fetch(`http://${harness.registry}/v2/${repository}/tags/list`);
            assert.strictEqual(response.status, 200, `${repository}: HTTP ${String(response.status)}`);
            return ((await response.json()) as { tags: string[] | null }).tags ?? [];
        };
        for (const repository of ["web", "platform-redis", "platform-postgres"]) {
            const listed = await tags(repository);
            assert.ok(listed.includes("buildcache"), `${repository}: no build cache in ${listed.join(", ")}`);
            assert.ok(
                listed.some((tag) => /^b-[0-9a-f]{16}$/.test(tag)),
                `${repository}: no build tag in ${listed.join(", ")}`,
            );
        }
    });

    it("a preview of a changed base image shows the image updates and builds nothing (the base is unreachable)", async function () {
        this.timeout(10 * 60 * 1000);
        // Port 1 on loopback answers nothing: a preview that built would fail pulling this base.
        stack.writeConfig(
            stackConfig(harness, (c) => {
                (c["platform:build"] as { baseImage: string }).baseImage = "127.0.0.1:1/none/node:20-bookworm-slim";
            }),
        );
        const t = Date.now();
        const preview = await stack.pulumi(["preview", "--json"]);
        log(`preview of a base-image change: ${seconds(Date.now() - t)}`);
        stack.writeConfig(stackConfig(harness));
        assert.strictEqual(preview.code, 0, `preview built (or failed):\n${preview.stdout.slice(-4000)}\n${preview.stderr.slice(-3000)}`);
        const updated = stepsOf(preview.stdout, "update").map((urn) => urn.split("::").pop());
        assert.ok(updated.includes("web-build"), `web's image not updated: ${updated.join(", ")}`);
        assert.ok(
            !updated.includes("platform-redis-build"),
            `redis's image (Debian based) updated by the Node base: ${updated.join(", ")}`,
        );
        assert.ok(updated.includes("app-web-deployment"), `the Deployment does not roll to the new image: ${updated.join(", ")}`);
        const counts = stepCounts(preview.stdout);
        for (const op of ["replace", "create", "delete"]) assert.strictEqual(counts[op], undefined, `${op} in ${JSON.stringify(counts)}`);
    });

    it("changing the HPA maximum previews exactly one update and no replace", async function () {
        this.timeout(10 * 60 * 1000);
        stack.writeConfig(
            stackConfig(harness, (c) => {
                const app = c["platform:app"] as { replicas: { max: number } };
                app.replicas.max = 5;
            }),
        );
        const preview = await stack.pulumi(["preview", "--json"]);
        assert.strictEqual(preview.code, 0, preview.stderr);
        const counts = stepCounts(preview.stdout);
        assert.strictEqual(counts.update, 1, JSON.stringify(counts));
        assert.deepStrictEqual(
            stepsOf(preview.stdout, "update").map((urn) => urn.split("::").pop()),
            ["app-web-hpa"],
        );
        for (const op of ["replace", "create-replacement", "delete-replaced", "create", "delete"])
            assert.strictEqual(counts[op], undefined, `${op} in ${JSON.stringify(counts)}`);
    });

    it("changing the namespace, part of every object's identity, is shown as the replace it is", async function () {
        this.timeout(10 * 60 * 1000);
        stack.writeConfig(
            stackConfig(harness, (c) => {
                (c["platform:app"] as { namespace: string }).namespace = "app-renamed";
            }),
        );
        const preview = await stack.pulumi(["preview", "--json"]);
        assert.strictEqual(preview.code, 0, preview.stderr);
        const replaced = stepsOf(preview.stdout, "replace").map((urn) => urn.split("::").pop());
        for (const name of ["app-ns", "app-web-deployment", "data-redis"])
            assert.ok(replaced.includes(name), `${name} not replaced: ${replaced.join(", ")}`);
        stack.writeConfig(stackConfig(harness));
    });

    it("resizing a data volume (an immutable StatefulSet field) is refused at preview, before anything changes", async function () {
        // The Kubernetes provider previews through a server-side dry run, and the API server
        // rejects a changed volumeClaimTemplate; documented on platform:data.*.storage.
        this.timeout(10 * 60 * 1000);
        const before = await resourceCount();
        stack.writeConfig(
            stackConfig(harness, (c) => {
                const data = c["platform:data"] as { redis: { storage: string } };
                data.redis.storage = "512Mi";
            }),
        );
        const preview = await stack.pulumi(["preview"]);
        assert.notStrictEqual(preview.code, 0, "the resize was accepted");
        assert.match(
            preview.stdout + preview.stderr,
            /StatefulSet\.apps "redis" is invalid: spec: Forbidden: updates to statefulset spec for fields other than/,
        );
        stack.writeConfig(stackConfig(harness));
        assert.strictEqual(await resourceCount(), before);
        const set = await getJson<{ spec: { volumeClaimTemplates: { spec: { resources: { requests: { storage: string } } } }[] } }>([
            "-n",
            "app",
            "get",
            "statefulset",
            "redis",
        ]);
        assert.strictEqual(set.spec.volumeClaimTemplates[0].spec.resources.requests.storage, "256Mi");
    });

    it("a config error fails preview naming the key, and the state gains nothing", async function () {
        this.timeout(5 * 60 * 1000);
        const before = await resourceCount();
        stack.writeConfig({ ...stackConfig(harness), "platform:replcas": 3 });
        const preview = await stack.pulumi(["up", "--yes", "--skip-preview"]);
        assert.notStrictEqual(preview.code, 0);
        assert.match(
            preview.stdout + preview.stderr,
            /stack "enginetest" has 1 config problem in Pulumi\.enginetest\.yaml:\s+platform:replcas\s+unknown key/,
        );
        assert.strictEqual(await resourceCount(), before);
        stack.writeConfig(stackConfig(harness));
    });

    it("the policy pack passes the local stack through the engine", async function () {
        this.timeout(10 * 60 * 1000);
        const preview = await stack.pulumi(["preview", "--policy-pack", path.join(REPO, "policy")]);
        assert.strictEqual(preview.code, 0, `policy violations:\n${preview.stdout.slice(-6000)}\n${preview.stderr.slice(-2000)}`);
        assert.doesNotMatch(preview.stdout, /mandatory/);
    });

    it("the cost report and the budget gate run through the engine: a budget the local stack fits passes and prints the estimate", async function () {
        this.timeout(10 * 60 * 1000);
        stack.writeConfig({ ...stackConfig(harness), "platform:budget": { monthlyUsd: 1 } });
        const preview = await stack.pulumi(["preview", "--policy-pack", path.join(REPO, "policy")]);
        stack.writeConfig(stackConfig(harness));
        assert.strictEqual(preview.code, 0, `policy violations:\n${preview.stdout.slice(-6000)}\n${preview.stderr.slice(-2000)}`);
        const out = preview.stdout + preview.stderr;
        assert.match(out, /cost-estimate/);
        assert.match(out, /estimated monthly cost \$0 at min and max scale: the local target runs on machines the stack does not pay for/);
        assert.match(out, /capacity at max: not sized \(local: the nodes are the cluster's own\)/);
        // The budget is read (the gate runs) and holds: no mandatory finding, cost-budget among none.
        assert.doesNotMatch(out, /\[mandatory\]/);
    });

    it("a pod that breaks Pod Security restricted is refused by the real API server in the app namespace", async function () {
        this.timeout(2 * 60 * 1000);
        // Server-side dry run goes through admission (Pod Security included) and persists nothing.
        const pod = { spec: { containers: [{ name: "probe", image: "probe:none", securityContext: { privileged: true } }] } };
        const args = [
            "-n",
            "app",
            "run",
            "psa-probe",
            "--image=probe:none",
            "--restart=Never",
            "--dry-run=server",
            `--overrides=${JSON.stringify(pod)}`,
        ];
        const refused = await run("kubectl", ["--kubeconfig", harness.kubeconfig, ...args], { env: kubectlEnv });
        assert.notStrictEqual(refused.code, 0, "a privileged pod was admitted into the restricted namespace");
        assert.match(refused.stderr, /violates PodSecurity "restricted:latest": privileged/);
    });

    it("pulumi stack export holds no secret in plain text", async function () {
        this.timeout(5 * 60 * 1000);
        const exported = (await stack.stackCommand(["stack", "export"])).stdout;
        const secrets = await getJson<{ items: { metadata: { name: string }; data?: Record<string, string> }[] }>([
            "-n",
            "app",
            "get",
            "secrets",
        ]);
        const values = secrets.items.flatMap((s) =>
            Object.entries(s.data ?? {})
                .filter(([key]) => /password/i.test(key))
                .map(([, v]) => Buffer.from(v, "base64").toString("utf8")),
        );
        assert.ok(values.length >= 2, "expected generated passwords in the cluster");
        for (const value of values) assert.ok(!exported.includes(value), "a generated password is in the state in plain text");
        const clientKey = /client-key-data: (\S+)/.exec(fs.readFileSync(harness.kubeconfig, "utf8"))?.[1];
        assert.ok(clientKey && !exported.includes(clientKey), "the kubeconfig's client key is in the state in plain text");
    });

    it("pulumi destroy leaves no object of the stack in the API server", async function () {
        this.timeout(15 * 60 * 1000);
        const destroy = await stack.pulumi(["destroy", "--yes", "--skip-preview"]);
        assert.strictEqual(destroy.code, 0, destroy.stdout.slice(-4000));
        const leftovers = await run("kubectl", ["--kubeconfig", harness.kubeconfig, "get", "namespace", "app", "-o", "name"], {
            env: kubectlEnv,
        });
        const gone =
            leftovers.code !== 0 ||
            leftovers.stdout.trim() === "" ||
            /Terminating/.test(await kubectl(["get", "namespace", "app"]).catch(() => "Terminating"));
        assert.ok(gone, "namespace app still exists");
        const labelled = await kubectl([
            "get",
            "all,secret,networkpolicy,pdb,hpa,pvc",
            "-A",
            "-l",
            "app.kubernetes.io/part-of=platform",
            "-o",
            "name",
        ]);
        assert.strictEqual(labelled.trim(), "", `left behind:\n${labelled}`);
    });
});
