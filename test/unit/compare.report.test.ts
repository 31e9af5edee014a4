/** The comparison end to end under mocks: composed configs, the evaluated targets and the Markdown table. */
import * as assert from "assert";
import { APP_KEYS, composeTargetConfig, ConfigMap } from "../../compare/compose";
import { evaluate } from "../../compare/evaluate";
import { operationalFacts } from "../../compare/facts";
import { renderMarkdown } from "../../compare/render/markdown";
import { comparisonRows } from "../../compare/render/rows";
import { ComparisonReport, hasErrors } from "../../compare/report";
import { CLOUDS } from "../../model/targets";

const cells = (line: string) => line.replace(/\\\|/g, "").split("|").slice(1, -1);

describe("compare report", function () {
    this.timeout(120000);
    let prod: ComparisonReport;

    before(async () => {
        prod = await evaluate("prod", undefined, {});
    });

    it("composes the env's app keys onto another target's reference block", () => {
        const env: ConfigMap = {
            config: {
                "platform:cloud": "azure",
                "platform:azure": "{}",
                "platform:app": '{"replicas":{"min":3}}',
                "platform:services": "[]",
            },
            secretKeys: [],
        };
        const reference: ConfigMap = {
            config: {
                "platform:cloud": "aws",
                "platform:aws": '{"region":"eu-west-1"}',
                "platform:app": '{"replicas":{"min":1}}',
                "platform:data": "{}",
                "platform:policy": "{}",
            },
            secretKeys: ["platform:postgresPassword"],
        };
        const composed = composeTargetConfig(env, "aws", reference);
        assert.deepStrictEqual(composed.config, {
            "platform:cloud": "aws",
            "platform:aws": '{"region":"eu-west-1"}',
            "platform:app": '{"replicas":{"min":3}}',
            "platform:services": "[]",
            "platform:policy": "{}",
        });
        assert.deepStrictEqual(composed.secretKeys, ["platform:postgresPassword"]);
        assert.strictEqual(composeTargetConfig(env, "azure", reference), env);
        assert.deepStrictEqual([...APP_KEYS], ["platform:app", "platform:services", "platform:data"]);
    });

    it("evaluates the prod app stack on every target without errors or unpriced items", () => {
        assert.deepStrictEqual(
            prod.targets.map((t) => t.target),
            [...CLOUDS],
        );
        assert.ok(!hasErrors(prod), JSON.stringify(prod.targets.map((t) => [t.target, t.error, t.estimateError])));
        assert.deepStrictEqual(
            prod.targets.map((t) => t.blockFrom),
            ["dev", "staging", "prod", "swarm"],
        );
        for (const t of prod.targets) assert.ok(t.posture && t.posture.passed.length > 0, t.target);
    });

    it("prod on azure costs more at max than at min scale; local and swarm cost nothing", () => {
        const by = Object.fromEntries(prod.targets.map((t) => [t.target, t]));
        assert.ok(by.azure.estimate && by.azure.estimate.maxUsd > by.azure.estimate.minUsd);
        assert.ok(by.aws.estimate && by.aws.estimate.minUsd > 0);
        assert.deepStrictEqual([by.local.estimate?.maxUsd, by.swarm.estimate?.maxUsd], [0, 0]);
        assert.ok(
            by.swarm.facts?.unsupported.some((u) =>
                /no Pod autoscaling: Swarm has no autoscaler, each service runs a fixed replicas\.min/.test(u),
            ),
        );
        assert.ok(by.local.facts?.unsupported.some((u) => /managed PostgreSQL/.test(u)));
    });

    it("says per target what scales the prod app stack, and only what acts", () => {
        const rows = comparisonRows(prod).filter((r) => r.section === "Scaling");
        const row = (label: string) => Object.fromEntries(CLOUDS.map((c, i) => [c, rows.find((r) => r.label === label)!.cells[i]]));
        const pods = row("pod autoscaling (HPA)");
        assert.strictEqual(pods.aws, "1 HPA, metrics from the metrics-server EKS add-on v0.8.0-eksbuild.2");
        assert.strictEqual(pods.azure, "1 HPA, metrics from AKS's built-in metrics-server");
        assert.match(pods.local, /^1 HPA, metrics from metrics-server \(run by the embedded platform: assumed for context platform-local/);
        assert.strictEqual(pods.swarm, "no: Swarm has no autoscaler; each service runs a fixed replicas.min");
        const nodes = row("node autoscaling");
        assert.strictEqual(nodes.aws, "Cluster Autoscaler v1.33.1 (aws-nodegroup-nodes 2–5)");
        assert.match(nodes.azure, /^AKS's cluster autoscaler \(azure-aks-user-pool \d+–\d+\)$/);
        assert.deepStrictEqual(
            [nodes.local, nodes.swarm],
            ["no: capacity is the machines you have", "no: capacity is the machines you have"],
        );
        const vertical = row("vertical recommendations (VPA)");
        assert.match(vertical.aws, /vpa-recommender 1\.4\.2/);
        assert.match(vertical.azure, /AKS's managed VPA/);
        assert.match(vertical.local, /the VPA recommender \(run by the embedded platform/);
        assert.strictEqual(vertical.swarm, "no: Swarm has no VPA");
    });

    it("renders a Markdown table with one column per target", () => {
        const markdown = renderMarkdown(prod);
        const lines = markdown.split("\n").filter((l) => l.startsWith("|"));
        assert.deepStrictEqual(
            cells(lines[0])
                .map((c) => c.trim())
                .slice(1),
            [...CLOUDS],
        );
        for (const line of lines) assert.strictEqual(cells(line).length, CLOUDS.length + 1, line);
        assert.match(markdown, /runs on hardware you already have/);
    });

    it("reports measured provisioning times and 'not measured' otherwise", () => {
        const none = {
            managedRedis: true,
            managedPostgres: true,
            podAutoscaling: true,
            nodeAutoscaling: true,
            cloudLoadBalancer: true,
            verticalRecommendations: true,
        };
        assert.strictEqual(
            operationalFacts("local", none, "1.35.4", { local: { seconds: 95, measuredAt: "2026-11-20" } }).provisionTime,
            "1 min 35 s (measured 2026-11-20)",
        );
        assert.strictEqual(operationalFacts("aws", none, "1.33", {}).provisionTime, "not measured");
    });
});
