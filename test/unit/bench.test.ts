/** The benchmark runner's pure helpers (the benchmarks themselves print; they are never asserted on). */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { stackEnv } from "../../bench/evalBench";
import { STACK_CONFIG_ENV, withServices } from "../../bench/evalStack";
import { ExportedResource, flatSpec, linkString } from "../../bench/flatSpec";
import { phaseMs, phaseSpans, readinessSeconds, stepSeconds, stepSpans } from "../../bench/loop";
import { installMocks, settle } from "../../harness/mocks";
import { runStack, withScratchKubeconfig } from "../../harness/runStack";
import { PROJECT_DIR, readStackFile } from "../../harness/stackFiles";
import { KubeObject, orderForApply, stackObjectRefs, toManifest } from "../../bench/render";
import { formatSummary, linearFit, parseArgs, ratio, renderTable, summarize } from "../../bench/stats";

describe("bench helpers", () => {
    it("summarizes min, median (mean of the middle two when even) and max", () => {
        assert.deepStrictEqual(summarize([5, 1, 3]), { min: 1, median: 3, max: 5, runs: 3 });
        assert.deepStrictEqual(summarize([4, 1, 3, 2]), { min: 1, median: 2.5, max: 4, runs: 4 });
        assert.throws(() => summarize([]), /no samples/);
        assert.strictEqual(formatSummary(summarize([1.234, 2.5, 9]), 1), "2.5 [1.2–9.0]");
    });

    it("renders ratios and refuses a zero floor", () => {
        assert.strictEqual(ratio(650, 500), "1.30×");
        assert.strictEqual(ratio(1, 0), "n/a");
    });

    it("renders an aligned Markdown table, padding short rows", () => {
        const table = renderTable(["case", "ms"], [["a", "12"], ["longer"]]).split("\n");
        assert.deepStrictEqual(table, ["| case   |  ms |", "|--------|----:|", "| a      |  12 |", "| longer |     |"]);
    });

    it("parses --only and --runs, rejecting unknown sections and flags", () => {
        assert.deepStrictEqual(
            parseArgs([]),
            { only: ["eval", "tsc", "scale", "engine", "suites"], runs: 5 },
            "suites-e2e and loop run only when named",
        );
        assert.deepStrictEqual(parseArgs(["--only", "loop"]).only, ["loop"]);
        assert.deepStrictEqual(parseArgs(["--only", "eval,tsc", "--runs=3"]), { only: ["eval", "tsc"], runs: 3 });
        assert.deepStrictEqual(parseArgs(["--only=suites-e2e"]).only, ["suites-e2e"]);
        assert.throws(() => parseArgs(["--only", "evl"]), /--only takes/);
        assert.throws(() => parseArgs(["--runs", "0"]), /--runs takes/);
        assert.throws(() => parseArgs(["--fast"]), /unknown flag/);
        assert.deepStrictEqual(parseArgs(["--only", "eval", "--baseline", "/tmp/before"]), {
            only: ["eval"],
            runs: 5,
            baseline: "/tmp/before",
        });
        assert.throws(() => parseArgs(["--baseline"]), /--baseline takes/);
    });

    it("fits a line and reports how far the worst point strays", () => {
        const exact = linearFit([
            [10, 20],
            [100, 200],
            [1000, 2000],
        ]);
        assert.ok(Math.abs(exact.slope - 2) < 1e-9 && exact.worstDeviation < 1e-9);
        assert.ok(
            linearFit([
                [10, 10],
                [100, 100],
                [1000, 5000],
            ]).worstDeviation > 0.5,
        );
    });

    it("finds the stack's Kubernetes objects in its state, skipping providers and components", () => {
        const refs = stackObjectRefs([
            {
                type: "kubernetes:apps/v1:Deployment",
                outputs: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "app" } },
            },
            { type: "kubernetes:core/v1:Namespace", outputs: { apiVersion: "v1", kind: "Namespace", metadata: { name: "app" } } },
            { type: "pulumi:providers:kubernetes", outputs: {} },
            { type: "platform:app:KubernetesApp" },
        ]);
        assert.deepStrictEqual(refs, ["deployment.apps/web", "namespace/app"]);
    });

    it("turns a live object into a manifest for another namespace, dropping what the server set", () => {
        const service: KubeObject = {
            apiVersion: "v1",
            kind: "Service",
            metadata: {
                name: "web",
                namespace: "app",
                uid: "u",
                resourceVersion: "7",
                managedFields: [],
                creationTimestamp: "t",
                labels: { a: "b" },
            },
            spec: { clusterIP: "10.0.0.1", clusterIPs: ["10.0.0.1"], ports: [{ port: 80, nodePort: 30080 }] },
            status: { loadBalancer: {} },
        };
        assert.deepStrictEqual(toManifest(service, "copy"), {
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: "web", namespace: "copy", labels: { a: "b" } },
            spec: { ports: [{ port: 80 }] },
        });
        assert.strictEqual(service.metadata.namespace, "app", "the live object is not modified");
        const ns = toManifest(
            {
                apiVersion: "v1",
                kind: "Namespace",
                metadata: { name: "app", labels: { "kubernetes.io/metadata.name": "app" } },
                spec: { finalizers: ["kubernetes"] },
            },
            "copy",
        );
        assert.deepStrictEqual(ns, {
            apiVersion: "v1",
            kind: "Namespace",
            metadata: { name: "copy", labels: { "kubernetes.io/metadata.name": "copy" } },
        });
        const deployment = toManifest(
            {
                apiVersion: "apps/v1",
                kind: "Deployment",
                metadata: { name: "web", namespace: "app", annotations: { "deployment.kubernetes.io/revision": "1" } },
            },
            "copy",
        );
        assert.strictEqual(deployment.metadata.annotations, undefined);
        assert.deepStrictEqual(
            orderForApply([deployment, ns]).map((o) => o.kind),
            ["Namespace", "Deployment"],
        );
    });
});

describe("bench eval runner", () => {
    class Thing extends pulumi.CustomResource {
        constructor(name: string) {
            super("test:index:Thing", name, { size: 3 });
        }
    }

    it("records a registration's inputs by default, and only its type and name with keepInputs: false", async () => {
        const kept = await installMocks({ stack: "dev" });
        new Thing("kept");
        await settle(kept);
        assert.deepStrictEqual(
            kept.map((r) => [r.type, r.name, r.inputs.size]),
            [["test:index:Thing", "kept", 3]],
        );
        const counted = await installMocks({ stack: "dev", keepInputs: false });
        new Thing("counted");
        await settle(counted);
        assert.deepStrictEqual(
            counted.map((r) => [r.type, r.name]),
            [["test:index:Thing", "counted"]],
        );
        assert.throws(() => counted[0].inputs, /keepInputs: false/);
        assert.throws(() => counted[0].wireInputs, /keepInputs: false/);
    });

    it("counts as many registrations for dev as the recording mocks record", async () => {
        const printed = execFileSync(process.execPath, [path.join(PROJECT_DIR, "bin", "bench", "evalStack.js"), "dev"], {
            encoding: "utf8",
        });
        const result = JSON.parse(printed) as { registrations: number; error?: string };
        const run = await runStack("dev", withScratchKubeconfig(readStackFile("dev")));
        assert.strictEqual(result.error, undefined);
        assert.strictEqual(result.registrations, run.registrations.length);
        assert.strictEqual(result.registrations, 33);
    });

    it("the runner and the config edge load the YAML library only when a kubeconfig is read", () => {
        const yamlLoaded = (then: string) =>
            execFileSync(
                process.execPath,
                [
                    "-e",
                    `require('./bin/bench/evalStack.js');${then};process.stdout.write(String(Object.keys(require.cache).some((f)=>f.includes('/node_modules/yaml/'))))`,
                ],
                { cwd: PROJECT_DIR, encoding: "utf8" },
            );
        assert.strictEqual(yamlLoaded(""), "false");
        assert.strictEqual(yamlLoaded("require('./bin/stacks/kubeconfig.js').minimalKubeconfig('{}', 'x', '/')"), "true");
    });

    it("evaluates the config the bench hands over in its environment, as the engine hands it to a program", async () => {
        const map = withServices(readStackFile("dev"), 2);
        const env = { ...stackEnv("dev"), [STACK_CONFIG_ENV]: JSON.stringify(map) };
        assert.deepStrictEqual(JSON.parse(stackEnv("dev")[STACK_CONFIG_ENV] ?? ""), readStackFile("dev"));
        const printed = execFileSync(process.execPath, [path.join(PROJECT_DIR, "bin", "bench", "evalStack.js"), "dev"], {
            encoding: "utf8",
            env,
        });
        const result = JSON.parse(printed) as { registrations: number; error?: string };
        const run = await runStack("dev", withScratchKubeconfig(map));
        assert.strictEqual(result.error, undefined);
        assert.strictEqual(result.registrations, run.registrations.length);
        assert.notStrictEqual(result.registrations, 33, "the runner read the stack file instead");
    });
});

describe("bench flat program spec", () => {
    const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
    const urn = (type: string, name: string) => `urn:pulumi:bench::platform::platform:x:Parent$${type}::${name}`;
    const k8sProvider = urn("pulumi:providers:kubernetes", "local-k8s");
    const imageProvider = urn("pulumi:providers:docker-build", "image-builder");
    const digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const password = "Abcdefghijklmnopqrstuvwxyz012345";
    const exported: ExportedResource[] = [
        { urn: urn("pulumi:pulumi:Stack", "platform-bench"), type: "pulumi:pulumi:Stack" },
        {
            urn: k8sProvider,
            type: "pulumi:providers:kubernetes",
            custom: true,
            inputs: { kubeconfig: { ...SECRET, plaintext: '"kc"' }, version: "4.25.0" },
        },
        { urn: imageProvider, type: "pulumi:providers:docker-build", custom: true, inputs: { version: "0.0.22" } },
        {
            urn: urn("docker-build:index:Image", "web-build"),
            type: "docker-build:index:Image",
            custom: true,
            provider: `${imageProvider}::1f2e`,
            inputs: { context: { location: "/tmp/app" }, push: true, contextHash: "computed-by-the-provider" },
            outputs: { digest, contextHash: "computed-by-the-provider-too" },
        },
        {
            urn: urn("pulumi-nodejs:dynamic/platform:RandomPassword", "data-redis-password"),
            type: "pulumi-nodejs:dynamic/platform:RandomPassword",
            custom: true,
            inputs: { length: 32, __provider: "exports.handler = …" },
            outputs: { length: 32, result: { ...SECRET, plaintext: JSON.stringify(password) }, __provider: "exports.handler = …" },
        },
        {
            urn: urn("kubernetes:core/v1:Namespace", "app-ns"),
            type: "kubernetes:core/v1:Namespace",
            custom: true,
            provider: `${k8sProvider}::abc`,
            inputs: { metadata: { name: "app" } },
        },
        {
            urn: urn("kubernetes:core/v1:Secret", "data-redis-auth"),
            type: "kubernetes:core/v1:Secret",
            custom: true,
            provider: `${k8sProvider}::abc`,
            inputs: {
                metadata: { name: "redis-auth", namespace: "app" },
                stringData: { ...SECRET, plaintext: JSON.stringify({ url: `redis://:${password}@redis` }) },
            },
        },
        {
            urn: urn("kubernetes:apps/v1:Deployment", "app-web-deployment"),
            type: "kubernetes:apps/v1:Deployment",
            custom: true,
            provider: `${k8sProvider}::abc`,
            dependencies: [urn("kubernetes:core/v1:Secret", "data-redis-auth"), urn("platform:app:KubernetesApp", "app")],
            inputs: {
                metadata: { name: "web", namespace: "app" },
                spec: { template: { spec: { containers: [{ image: `127.0.0.1:5000/web@${digest}` }] } } },
            },
        },
        {
            urn: urn("kubernetes:core/v1:Service", "app-web-service"),
            type: "kubernetes:core/v1:Service",
            custom: true,
            provider: `${k8sProvider}::abc`,
            inputs: { metadata: { name: "web", namespace: "app" }, spec: { type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] } },
        },
    ];

    it("splits a string at every source value, longest first, and leaves other strings alone", () => {
        const sources = new Map([
            ["sha256:aaaaaaaaaaaaaaaa", { resource: "img", output: "digest" }],
            ["repo:tag@sha256:aaaaaaaaaaaaaaaa", { resource: "img", output: "ref" }],
        ]);
        assert.deepStrictEqual(linkString("x=repo:tag@sha256:aaaaaaaaaaaaaaaa;y=repo@sha256:aaaaaaaaaaaaaaaa", sources), {
            __flatLink: ["x=", { resource: "img", output: "ref" }, ";y=repo@", { resource: "img", output: "digest" }],
        });
        assert.strictEqual(linkString("nothing to link", sources), "nothing to link");
    });

    it("keeps every custom resource but the providers, in state order, on the explicit providers", () => {
        const spec = flatSpec(exported, "app", "bench-flat");
        assert.deepStrictEqual(
            spec.resources.map((r) => [r.key, r.provider]),
            [
                ["docker-build:index:Image::web-build", "docker-build"],
                ["pulumi-nodejs:dynamic/platform:RandomPassword::data-redis-password", undefined],
                ["kubernetes:core/v1:Namespace::app-ns", "kubernetes"],
                ["kubernetes:core/v1:Secret::data-redis-auth", "kubernetes"],
                ["kubernetes:apps/v1:Deployment::app-web-deployment", "kubernetes"],
                ["kubernetes:core/v1:Service::app-web-service", "kubernetes"],
            ],
        );
        assert.deepStrictEqual(spec.providers, { kubernetes: { kubeconfig: { __flatSecret: "kc" } }, "docker-build": {} });
        const image = spec.resources[0];
        assert.deepStrictEqual(
            image.inputs,
            { context: { location: "/tmp/app" }, push: true },
            "the provider's computed contextHash is dropped",
        );
        assert.deepStrictEqual(image.outputs, ["digest"]);
        assert.deepStrictEqual(spec.resources[1].outputs, ["result"]);
    });

    it("links image digests and passwords into later objects and moves them to the flat namespace", () => {
        const [, , ns, secret, deployment, service] = flatSpec(exported, "app", "bench-flat").resources;
        assert.deepStrictEqual(ns.inputs, { metadata: { name: "bench-flat" } });
        assert.deepStrictEqual(secret.inputs.stringData, {
            __flatSecret: {
                url: {
                    __flatLink: [
                        "redis://:",
                        { resource: "pulumi-nodejs:dynamic/platform:RandomPassword::data-redis-password", output: "result" },
                        "@redis",
                    ],
                },
            },
        });
        assert.deepStrictEqual(deployment.inputs.spec, {
            template: {
                spec: {
                    containers: [
                        {
                            image: {
                                __flatLink: ["127.0.0.1:5000/web@", { resource: "docker-build:index:Image::web-build", output: "digest" }],
                            },
                        },
                    ],
                },
            },
        });
        assert.strictEqual((deployment.inputs.metadata as { namespace: string }).namespace, "bench-flat");
        // Components drop out of the dependencies; the namespace comes first for every namespaced object.
        assert.deepStrictEqual(deployment.dependsOn, [
            "kubernetes:core/v1:Secret::data-redis-auth",
            "kubernetes:core/v1:Namespace::app-ns",
        ]);
        assert.deepStrictEqual(service.inputs.spec, { type: "NodePort", ports: [{ port: 80 }] }, "the node port stays with our stack");
    });

    it("refuses a state whose secrets are still encrypted", () => {
        const encrypted = exported.map((r) =>
            r.type === "pulumi:providers:kubernetes" ? { ...r, inputs: { kubeconfig: { ...SECRET, ciphertext: "v1:x" } } } : r,
        );
        assert.throws(() => flatSpec(encrypted, "app", "bench-flat"), /--show-secrets/);
    });

    it("declares the dev golden list's custom resources (kinds and names) from the dev stack's registrations", async () => {
        const run = await runStack("dev", withScratchKubeconfig(readStackFile("dev")));
        if (run.error) throw run.error;
        // The mock monitor's records as an export: the provider reference names the provider by its registration.
        const providerUrn = (ref: string) => {
            const name = ref.slice(0, ref.lastIndexOf("::")).split("::").pop();
            return run.registrations.find((r) => r.type.startsWith("pulumi:providers:") && r.name === name)?.urn;
        };
        const asExport: ExportedResource[] = run.registrations.map((r) => ({
            urn: r.urn,
            type: r.type,
            custom: r.custom,
            inputs: r.wireInputs,
            provider: r.provider === "" ? undefined : `${String(providerUrn(r.provider))}::id`,
        }));
        const spec = flatSpec(asExport, "app", "bench-flat");
        const golden = fs
            .readFileSync(path.join(PROJECT_DIR, "test", "golden", "dev.txt"), "utf8")
            .split("\n")
            .map((line) => line.split("  (parent")[0])
            .filter((key) => key !== "" && !key.startsWith("platform:") && !key.startsWith("pulumi:providers:"));
        assert.deepStrictEqual(spec.resources.map((r) => r.key).sort(), golden.sort());
        assert.deepStrictEqual(Object.keys(spec.providers).sort(), ["docker-build", "kubernetes"]);
        for (const r of spec.resources) {
            if (r.type.startsWith("kubernetes:")) assert.strictEqual(r.provider, "kubernetes", r.key);
            const metadata = r.inputs.metadata as { name?: string; namespace?: string } | undefined;
            if (r.type === "kubernetes:core/v1:Namespace") assert.strictEqual(metadata?.name, "bench-flat");
            else if (r.type.startsWith("kubernetes:")) assert.strictEqual(metadata?.namespace, "bench-flat", r.key);
        }
    });
});

describe("bench loop helpers", () => {
    it("splits an up.sh run into its phases, from each phase line to the next and the last to the exit", () => {
        const lines = [
            { ms: 100, text: "[   0s] up: ── prerequisites (machine)" },
            { ms: 150, text: "[   0s] up: something else" },
            { ms: 400, text: "[   1s] up: ── npm run build" },
            { ms: 1400, text: "[   2s] up: ── pulumi up -s dev" },
            { ms: 9400, text: "[  10s] up: ── app answers" },
        ];
        const spans = phaseSpans(lines, 0, 10_000);
        assert.deepStrictEqual(spans, [
            { name: "start", ms: 100 },
            { name: "prerequisites (machine)", ms: 300 },
            { name: "npm run build", ms: 1000 },
            { name: "pulumi up -s dev", ms: 8000 },
            { name: "app answers", ms: 600 },
        ]);
        assert.strictEqual(phaseMs(spans, "pulumi up"), 8000);
        assert.strictEqual(phaseMs(spans, "base images"), 0);
    });

    it("reads each finished step's seconds from pulumi's non-interactive display", () => {
        const display = [
            "Updating (dev):",
            "    pulumi:pulumi:Stack platform-dev running ",
            " ~  docker-build:index:Image web-build updating (0s) [diff: ~contextHash,tags]",
            "@ Updating....",
            " ~  docker-build:index:Image web-build updated (12s) [diff: ~contextHash,tags]",
            " ~  kubernetes:apps/v1:Deployment app-web-deployment updating (3s) [diff: ~spec]; Waiting for app ReplicaSet to be available (0/1 Pods available)",
            " ~  kubernetes:apps/v1:Deployment app-web-deployment updated (9s) [diff: ~spec]; ",
            " +  kubernetes:core/v1:Namespace app-ns created (0.41s) ",
            "    pulumi:pulumi:Stack platform-dev  ",
            "Resources:",
        ].join("\n");
        const steps = stepSpans(display);
        assert.deepStrictEqual(steps, [
            { type: "docker-build:index:Image", name: "web-build", op: "updated", seconds: 12 },
            { type: "kubernetes:apps/v1:Deployment", name: "app-web-deployment", op: "updated", seconds: 9 },
            { type: "kubernetes:core/v1:Namespace", name: "app-ns", op: "created", seconds: 0.41 },
        ]);
        assert.strictEqual(stepSeconds(steps, "docker-build:index:Image"), 12);
        assert.strictEqual(stepSeconds(steps, "docker-build:index:Image", "platform-redis-build"), 0);
    });

    it("measures a pod's readiness from its container start to its Ready condition", () => {
        const pod = (ready: string) => ({
            status: {
                conditions: [{ type: "Ready", status: ready, lastTransitionTime: "2026-12-07T08:00:07Z" }],
                containerStatuses: [{ state: { running: { startedAt: "2026-12-07T08:00:01Z" } } }],
            },
        });
        assert.strictEqual(readinessSeconds(pod("True")), 6);
        assert.strictEqual(readinessSeconds(pod("False")), undefined);
        assert.strictEqual(readinessSeconds({}), undefined);
    });
});
