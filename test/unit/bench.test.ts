/** The benchmark runner's pure helpers (the benchmarks themselves print; they are never asserted on). */
import * as assert from "assert";
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
        assert.deepStrictEqual(parseArgs([]), { only: ["eval", "tsc", "scale", "engine", "suites"], runs: 5 });
        assert.deepStrictEqual(parseArgs(["--only", "eval,tsc", "--runs=3"]), { only: ["eval", "tsc"], runs: 3 });
        assert.deepStrictEqual(parseArgs(["--only=suites-e2e"]).only, ["suites-e2e"]);
        assert.throws(() => parseArgs(["--only", "evl"]), /--only takes/);
        assert.throws(() => parseArgs(["--runs", "0"]), /--runs takes/);
        assert.throws(() => parseArgs(["--fast"]), /unknown flag/);
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
