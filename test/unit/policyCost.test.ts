/**
 * Cost and capacity in the policy pack: the estimate the pack computes from the registered
 * resources equals compare/'s; the budget gate (over, under, unpriced with and without a budget);
 * the capacity check at max scale (fits, does not fit) with its numbers; the budget from
 * `platform:budget` through the config edge into the policy config; and the PR comment's line.
 * Whole stacks run under mocks and go through the pack's own CrossGuard policies (mock runner).
 */
import * as assert from "assert";
import { estimate } from "../../compare/estimate";
import { buildPlan } from "../../compare/plan";
import { PRICE_TABLE } from "../../compare/priceTable";
import { budgetOf, withBudget } from "../../policy/cost/budget";
import { checkCapacity } from "../../policy/cost/capacity";
import { aksReservedCpu, aksReserve, eksReservedCpu, eksReserve } from "../../policy/cost/nodeReserve";
import { costSummary, stackCost, usdChange } from "../../policy/cost/stackCost";
import { costMarkdown, CostRecord, parseBaseRecord } from "../../scripts/costEstimate";
import type { Registration } from "../../harness/mocks";
import { applyPack, mockState, PolicyOutcome, stackBudget, stackPolicyConfig, stackViews, Violation } from "../../harness/policyRunner";
import { runStack, withScratchKubeconfig } from "../../harness/runStack";
import { readStackFile, StackConfigMap } from "../../harness/stackFiles";

type Inputs = Record<string, unknown>;

/** A committed stack's config map with one `platform:<block>` edited (a copy). */
function withBlock(stack: string, block: string, edit: (value: Inputs) => void): StackConfigMap {
    const map = readStackFile(stack);
    const key = `platform:${block}`;
    const value = JSON.parse(map.config[key] ?? "{}") as Inputs;
    edit(value);
    return { ...map, config: { ...map.config, [key]: JSON.stringify(value) } };
}

/**
 * Runs the program for a config map under mocks, as `pulumi preview` would run it.
 */
async function registrationsOf(stack: string, map: StackConfigMap): Promise<Registration[]> {
    const run = await runStack(stack, withScratchKubeconfig(map), { preview: true });
    if (run.error) throw run.error;
    return [...run.registrations];
}

/** Applies the pack to a stack copy with the budget its config map sets, as `npm run policy` would. */
async function previewUnderMocks(stack: string, map: StackConfigMap): Promise<PolicyOutcome> {
    return applyPack(await registrationsOf(stack, map), [], mockState, stackBudget(map));
}

const messagesOf = (outcome: PolicyOutcome, rule: string) =>
    outcome.violations.filter((v: Violation) => v.rule === rule).map((v) => v.message);

/** The staging RDS instance on a class the price table has no line for. */
function unpricedPostgres(registrations: readonly Registration[]): Registration[] {
    return registrations.map((r) =>
        r.type === "aws:rds/instance:Instance" ? { ...r, inputs: { ...r.inputs, instanceClass: "db.r7g.large" } } : r,
    );
}

describe("cost and capacity in the policy pack", function () {
    this.timeout(60_000);
    let staging: Registration[];
    let prod: Registration[];
    let dev: Registration[];

    before(async () => {
        staging = await registrationsOf("staging", readStackFile("staging"));
        prod = await registrationsOf("prod", readStackFile("prod"));
        dev = await registrationsOf("dev", readStackFile("dev"));
    });

    it("prices what the pack sees exactly as compare/ prices the mocked run (one estimator)", () => {
        for (const [cloud, registrations] of [
            ["aws", staging],
            ["azure", prod],
        ] as const) {
            const fromPack = stackCost(stackViews(registrations));
            const fromCompare = estimate(buildPlan(cloud, registrations), PRICE_TABLE);
            assert.strictEqual(fromPack.target, cloud);
            assert.deepStrictEqual(
                [fromPack.minUsd, fromPack.maxUsd, fromPack.lines],
                [fromCompare.minUsd, fromCompare.maxUsd, fromCompare.lines],
            );
            assert.deepStrictEqual(fromPack.unpriced, []);
        }
        const cost = stackCost(stackViews(staging));
        assert.deepStrictEqual([cost.minUsd, cost.maxUsd], [248.12, 347.98]);
    });

    it("reports the estimate on every stack as advisory, with the three largest items (staging)", async () => {
        const outcome = await applyPack(staging, [], mockState, 450);
        const [report, ...more] = outcome.violations.filter((v) => v.rule === "cost-estimate");
        assert.strictEqual(more.length, 0);
        assert.strictEqual(report.advisory, true);
        assert.ok(outcome.passed.includes("cost-estimate"), "a report is not a failure");
        assert.match(
            report.message,
            /^estimated monthly cost \$248 at min scale, \$348 at max scale \(on-demand list prices of 2026-11\); largest at max: nodes of aws-nodegroup-nodes \$166, EKS control plane aws-eks-cluster \$73, 1 NAT gateway\(s\) \$35; capacity at max: fits: /,
        );
    });

    it("under budget: staging at $348 with its committed budget of $450 passes cost-budget", async () => {
        assert.strictEqual(stackBudget(readStackFile("staging")), 450);
        const outcome = await applyPack(staging, [], mockState, 450);
        assert.deepStrictEqual(outcome.failed, []);
        assert.deepStrictEqual(messagesOf(outcome, "cost-budget"), []);
    });

    it("over budget: fails cost-budget naming the budget, the estimate and the items that drive it", async () => {
        const outcome = await applyPack(staging, [], mockState, 300);
        assert.deepStrictEqual(outcome.failed, ["cost-budget"]);
        const [message] = messagesOf(outcome, "cost-budget");
        assert.match(
            message,
            /^the estimate at max scale, \$348\/month, exceeds platform:budget\.monthlyUsd \$300 by \$48; driven by nodes of aws-nodegroup-nodes \$166, EKS control plane aws-eks-cluster \$73, 1 NAT gateway\(s\) \$35\. Fix: lower the max scale/,
        );
    });

    it("a staging copy with budget.monthlyUsd: 50 fails its preview under mocks naming the budget rule", async () => {
        const map = withBlock("staging", "budget", (b) => (b.monthlyUsd = 50));
        const outcome = await previewUnderMocks("staging", map);
        assert.deepStrictEqual(outcome.failed, ["cost-budget"]);
        assert.match(messagesOf(outcome, "cost-budget")[0], /exceeds platform:budget\.monthlyUsd \$50 by \$298/);
    });

    it("unpriced item without a budget: reported as UNPRICED in the advisory estimate, never a silent zero, and nothing fails", async () => {
        const outcome = await applyPack(unpricedPostgres(staging), [], mockState);
        assert.deepStrictEqual(outcome.failed, []);
        const [report] = messagesOf(outcome, "cost-estimate");
        assert.match(report, /; UNPRICED \(not in the total\): PostgreSQL aws-data-postgres \(aws:eu-west-1:rds-postgres:db\.r7g\.large\)/);
        const cost = stackCost(stackViews(unpricedPostgres(staging)));
        assert.deepStrictEqual(
            cost.unpriced.map((u) => u.item),
            ["aws:eu-west-1:rds-postgres:db.r7g.large"],
        );
    });

    it("unpriced item with a budget: fails cost-budget even though the priced total is under it", async () => {
        const outcome = await applyPack(unpricedPostgres(staging), [], mockState, 450);
        assert.deepStrictEqual(outcome.failed, ["cost-budget"]);
        assert.deepStrictEqual(
            messagesOf(outcome, "cost-budget").map((m) => m.split(". Fix:")[0]),
            [
                "platform:budget.monthlyUsd is $450 and 1 item(s) have no price line, so the estimate is incomplete: PostgreSQL aws-data-postgres (aws:eu-west-1:rds-postgres:db.r7g.large)",
            ],
        );
    });

    it("capacity fits on staging: 6 web pods of 100m/128Mi plus CoreDNS, the cluster autoscaler and the VPA recommender in 5 × t3.medium after the EKS reserve", async () => {
        const check = checkCapacity(stackViews(staging));
        assert.ok(check);
        assert.deepStrictEqual(
            check.pools.map((p) => [p.name, p.machine, p.maxNodes, p.perNode]),
            [["aws-nodegroup-nodes", "t3.medium", 5, { cpuMillicores: 1775, memoryMiB: 3434 }]],
        );
        // CoreDNS (200m/140Mi), the cluster autoscaler (100m/300Mi) and the VPA recommender (50m/500Mi) take room too.
        assert.deepStrictEqual(check.demand, { cpuMillicores: 6 * 100 + 200 + 100 + 50, memoryMiB: 6 * 128 + 140 + 300 + 500 });
        assert.strictEqual(check.fits, true);
        const outcome = await applyPack(staging, [], mockState);
        assert.deepStrictEqual(messagesOf(outcome, "k8s-capacity-at-max-scale"), []);
    });

    it("capacity fits on prod: the tainted system pool is left out, the user pool's 10 × Standard_D4s_v5 hold 20 web pods", () => {
        const check = checkCapacity(stackViews(prod));
        assert.ok(check);
        assert.deepStrictEqual(check.excludedPools, ["azure-aks-cluster/system"]);
        assert.deepStrictEqual(
            check.pools.map((p) => [p.machine, p.maxNodes, p.perNode]),
            [["Standard_D4s_v5", 10, { cpuMillicores: 4000 - 140 - 300, memoryMiB: 16384 - (20 * 30 + 50) - 100 - 600 }]],
        );
        assert.deepStrictEqual(check.demand, { cpuMillicores: 20 * 250, memoryMiB: 20 * 256 });
        assert.strictEqual(check.fits, true);
    });

    it("capacity does not fit: a staging copy with 100 replicas of 250m fails, naming the numbers and the fix", async () => {
        const map = withBlock("staging", "app", (app) => {
            app.replicas = { min: 2, max: 100 };
            app.cpu = { request: "250m", limit: "500m" };
        });
        const outcome = await previewUnderMocks("staging", map);
        assert.deepStrictEqual(outcome.failed, ["k8s-capacity-at-max-scale"]);
        assert.match(
            messagesOf(outcome, "k8s-capacity-at-max-scale")[0],
            /\. Fix: raise platform:<cloud>\.maxClusterSize, choose a larger instance/,
        );
        assert.deepStrictEqual(
            messagesOf(outcome, "k8s-capacity-at-max-scale").map((m) => m.split(". Fix:")[0]),
            [
                "at max scale the pods request 25.35 vCPU / 13.42 GiB but 5 × t3.medium (aws-nodegroup-nodes) offer 8.88 vCPU / 16.77 GiB allocatable: the autoscaler can never reach its maximum; platform:aws.maxClusterSize: 15 would hold it",
            ],
        );
    });

    it("capacity: a pod larger than any node is named as unschedulable", async () => {
        const map = withBlock("staging", "app", (app) => (app.cpu = { request: "2", limit: "2" }));
        const outcome = await previewUnderMocks("staging", map);
        assert.deepStrictEqual(
            messagesOf(outcome, "k8s-capacity-at-max-scale").map((m) => m.split(". Fix:")[0]),
            [
                "a pod of web requests 2 vCPU / 0.13 GiB, more than one node's allocatable 1.77 vCPU / 3.35 GiB: it can never be scheduled, at any platform:aws.maxClusterSize; a larger platform:aws.eksNodeInstanceType or smaller requests can",
                "at max scale the pods request 12.35 vCPU / 1.67 GiB but 5 × t3.medium (aws-nodegroup-nodes) offer 8.88 vCPU / 16.77 GiB allocatable: the autoscaler can never reach its maximum",
            ],
        );
    });

    it("the local stack is not sized (its nodes are the cluster's own): no capacity finding, a $0 report", async () => {
        assert.strictEqual(checkCapacity(stackViews(dev)), undefined);
        const outcome = await applyPack(dev, [], mockState);
        assert.deepStrictEqual(outcome.failed, []);
        assert.deepStrictEqual(
            messagesOf(outcome, "cost-estimate").map((m) => m.split(";")[0]),
            ["estimated monthly cost $0 at min and max scale: the local target runs on machines the stack does not pay for"],
        );
        assert.match(messagesOf(outcome, "cost-estimate")[0], /capacity at max: not sized \(local: the nodes are the cluster's own\)/);
    });
});

describe("budget config", () => {
    it("platform:budget.monthlyUsd is validated at the config edge, naming key, value and rule", async () => {
        for (const bad of [-5, 0, "lots"]) {
            const map = withBlock("staging", "budget", (b) => (b.monthlyUsd = bad));
            const run = await runStack("staging", map);
            assert.ok(run.error, `budget ${String(bad)} was accepted`);
            assert.match(
                run.error.message,
                /platform:budget\.monthlyUsd = \S+\s+must be a positive number of US dollars per month, such as 500/,
            );
            assert.deepStrictEqual(
                run.registrations.filter((r) => r.custom),
                [],
                "nothing is registered on a config error",
            );
        }
    });

    it("reaches the pack as the cost-budget rule's policy config, beside the waivers", () => {
        assert.deepStrictEqual(stackPolicyConfig(readStackFile("staging")), { "cost-budget": { monthlyUsd: 450 } });
        assert.deepStrictEqual(stackPolicyConfig(readStackFile("prod")), { "cost-budget": { monthlyUsd: 3000 } });
        assert.deepStrictEqual(stackPolicyConfig(readStackFile("dev")), {});
        assert.deepStrictEqual(withBudget({ "cost-budget": { enforcementLevel: "advisory", waiver: "migration month, approved" } }, 100), {
            "cost-budget": { enforcementLevel: "advisory", waiver: "migration month, approved", monthlyUsd: 100 },
        });
        assert.deepStrictEqual(
            [budgetOf({ monthlyUsd: 450 }), budgetOf({}), budgetOf({ monthlyUsd: -1 }), budgetOf(undefined)],
            [450, undefined, undefined, undefined],
        );
    });
});

describe("node reserves", () => {
    it("EKS: AMI kube-reserved CPU by cores, memory 11 MiB per pod + 255 MiB, eviction and DaemonSets", () => {
        assert.deepStrictEqual([1, 2, 4, 8].map(eksReservedCpu), [60, 70, 80, 90]);
        assert.deepStrictEqual(eksReserve("t3.medium", 2), {
            cpuMillicores: 70 + 155,
            memoryMiB: 11 * 17 + 255 + 100 + 120,
            basis: "EKS AMI kube-reserved for 17 pods + eviction 100Mi + add-on DaemonSets 155m/120Mi",
        });
    });

    it("AKS: kube-reserved CPU table, memory min(20 MiB per pod + 50 MiB, 25 %)", () => {
        assert.deepStrictEqual([1, 2, 4, 8, 16, 32, 64].map(aksReservedCpu), [60, 100, 140, 180, 260, 420, 740]);
        assert.strictEqual(aksReserve(2, 4, 250).memoryMiB, 1024 + 100 + 600, "capped at 25 % of memory");
    });
});

describe("the PR comment's cost line", () => {
    const record = (maxUsd: number, minUsd = 248): CostRecord => ({
        stack: "staging",
        target: "aws",
        minUsd,
        maxUsd,
        unpriced: [],
        top: [{ what: "nodes of aws-nodegroup-nodes", maxUsd: 166.44 }],
        pricesAsOf: ["2026-11"],
        budgetUsd: 450,
        capacity: "fits",
    });

    it("shows the estimate and its change against the base branch at max scale", () => {
        const text = costMarkdown(record(348), record(136, 100));
        assert.match(
            text,
            /Estimated \*\*\$248–\$348\/month\*\* at min–max scale, on-demand list prices of 2026-11; \*\*\+\$212\/month at max scale\*\* \(\+\$148 at min\) against the base branch \(\$100–\$136\)\./,
        );
        assert.match(text, /- budget \$450: within/);
        assert.match(costMarkdown(record(500), undefined), /no estimate for the base commit/);
        assert.match(
            costMarkdown(record(500), undefined),
            /budget \$450: \*\*exceeded or incomplete, the preview fails \(cost-budget\)\*\*/,
        );
        assert.deepStrictEqual([usdChange(-35.4), usdChange(0.2), usdChange(1212)], ["-$35", "±$0", "+$1,212"]);
    });

    it("reads the base record only when it is this stack's", () => {
        assert.strictEqual(parseBaseRecord("", "staging"), undefined);
        assert.strictEqual(parseBaseRecord(JSON.stringify(record(1)), "prod"), undefined);
        assert.strictEqual(parseBaseRecord(JSON.stringify(record(136)), "staging")?.maxUsd, 136);
    });

    it("the summary names the $0 of own hardware", () => {
        assert.match(costSummary(stackCost([])), /\$0 at min and max scale: the swarm target/);
    });
});
