/** The cost estimate and capacity: pure functions of a plan and a price table, checked against hand arithmetic. */
import * as assert from "assert";
import { emptyCounts } from "../../compare/classify";
import { capacity, estimate } from "../../compare/estimate";
import type { NodePool, ResourcePlan, Usage } from "../../compare/plan";
import { PRICE_TABLE } from "../../compare/priceTable";
import { PriceTable, UnpricedError } from "../../compare/prices";
import type { Cloud } from "../../model/targets";

const NO_FEATURES = {
    managedRedis: false,
    managedPostgres: false,
    podAutoscaling: false,
    nodeAutoscaling: false,
    cloudLoadBalancer: false,
    verticalRecommendations: false,
};

function plan(target: Cloud, usages: Usage[], nodePools: NodePool[] = []): ResourcePlan {
    return { target, counts: emptyCounts(), nodePools, usages, features: NO_FEATURES, scaling: { hpas: 0, vpas: 0 } };
}

const use = (item: string, min: number, max = min): Usage => ({ item, what: item, min, max });

const line = (item: string, unit: "hour" | "GB-month", usd: number) => ({
    item,
    label: item,
    unit,
    usd,
    asOf: "2026-11",
    source: "https://example.test/pricing",
    region: "r",
    assumption: "730 h/month",
});

const SMALL_TABLE: PriceTable = {
    hoursPerMonth: 730,
    lines: [line("c:r:fee", "hour", 0.1), line("c:r:node", "hour", 0.05), line("c:r:disk", "GB-month", 0.1)],
    machines: { small: { vcpu: 2, memoryGiB: 4, source: "s" }, big: { vcpu: 8, memoryGiB: 32, source: "s" } },
};

describe("compare estimate", () => {
    it("sums hourly and GB-month lines at min and max scale (small table)", () => {
        // fee:  0.10 $/h × 730 h × 1              =  73.00 (min and max)
        // node: 0.05 $/h × 730 h × 2 nodes        =  73.00 (min);  × 5 nodes = 182.50 (max)
        // disk: 0.10 $/GB-month × 20 GB           =   2.00 (min and max)
        // min = 73.00 + 73.00 + 2.00 = 148.00;  max = 73.00 + 182.50 + 2.00 = 257.50
        const result = estimate(plan("aws", [use("c:r:fee", 1), use("c:r:node", 2, 5), use("c:r:disk", 20)]), SMALL_TABLE);
        assert.deepStrictEqual(
            result.lines.map((l) => [l.minUsd, l.maxUsd]),
            [
                [73, 73],
                [73, 182.5],
                [2, 2],
            ],
        );
        assert.strictEqual(result.minUsd, 148);
        assert.strictEqual(result.maxUsd, 257.5);
        assert.strictEqual(result.ownHardware, false);
    });

    it("prices the staging-shaped AWS plan from the committed table", () => {
        // EKS control plane   0.10   × 730        =  73.00
        // t3.medium           0.0456 × 730 × 2    =  66.576 → 66.58 (min);  × 5 = 166.44 (max)
        // NAT gateway         0.048  × 730        =  35.04
        // NLB                 0.0252 × 730        =  18.396 → 18.40
        // cache.t4g.small     0.036  × 730        =  26.28
        // db.t4g.small        0.036  × 730        =  26.28
        // gp3 storage         0.127  × 20 GB      =   2.54
        // min = 73 + 66.58 + 35.04 + 18.40 + 26.28 + 26.28 + 2.54 = 248.12
        // max = 248.12 − 66.58 + 166.44                            = 347.98
        const r = "aws:eu-west-1:";
        const usages = [
            use(`${r}eks:cluster`, 1),
            use(`${r}ec2:t3.medium`, 2, 5),
            use(`${r}nat-gateway`, 1),
            use(`${r}elb:nlb`, 1),
            use(`${r}elasticache:cache.t4g.small`, 1),
            use(`${r}rds-postgres:db.t4g.small`, 1),
            use(`${r}rds-storage:gp3`, 20),
        ];
        const result = estimate(plan("aws", usages), PRICE_TABLE);
        assert.strictEqual(result.minUsd, 248.12);
        assert.strictEqual(result.maxUsd, 347.98);
    });

    it("prices the prod-shaped Azure plan (HA PostgreSQL counted twice) from the committed table", () => {
        // AKS Standard           0.10  × 730            =   73.00
        // D2s_v5 system pool     0.115 × 730 × 2        =  167.90
        // D4s_v5 user pool       0.23  × 730 × 3        =  503.70 (min);  × 10 = 1679.00 (max)
        // Standard LB            0.025 × 730            =   18.25
        // Redis Standard C1      0.139 × 730            =  101.47
        // PG D2ds_v5 × 2 (HA)    0.194 × 730 × 2        =  283.24
        // PG storage             0.138 × 64 GB × 2      =   17.664 → 17.66
        // min = 73 + 167.90 + 503.70 + 18.25 + 101.47 + 283.24 + 17.66 = 1165.22
        // max = 1165.22 − 503.70 + 1679.00                               = 2340.52
        const r = "azure:westeurope:";
        const usages = [
            use(`${r}aks:Standard`, 1),
            use(`${r}vm:Standard_D2s_v5`, 2),
            use(`${r}vm:Standard_D4s_v5`, 3, 10),
            use(`${r}lb:standard`, 1),
            use(`${r}redis:Standard_C1`, 1),
            use(`${r}pg-flex:Standard_D2ds_v5`, 2),
            use(`${r}pg-flex-storage`, 128),
        ];
        const result = estimate(plan("azure", usages), PRICE_TABLE);
        assert.strictEqual(result.minUsd, 1165.22);
        assert.strictEqual(result.maxUsd, 2340.52);
    });

    it("costs nothing on local and swarm, marked as running on your own hardware", () => {
        for (const target of ["local", "swarm"] as const) {
            const result = estimate(plan(target, []), PRICE_TABLE);
            assert.deepStrictEqual([result.minUsd, result.maxUsd, result.ownHardware, result.lines.length], [0, 0, true, 0]);
        }
    });

    it("refuses a plan that uses an item without a price line, naming every such item", () => {
        const unpriced = plan("aws", [use("c:r:fee", 1), use("aws:eu-west-1:ec2:x9.huge", 1), use("aws:eu-central-1:nat-gateway", 1)]);
        assert.throws(
            () => estimate(unpriced, SMALL_TABLE),
            (err: unknown) =>
                err instanceof UnpricedError &&
                err.items.length === 2 &&
                /aws:eu-west-1:ec2:x9\.huge/.test(err.message) &&
                /aws:eu-central-1:nat-gateway/.test(err.message),
        );
    });

    it("sizes node pools from the machine table and refuses an unknown machine size by name", () => {
        // small: 2 vCPU, 4 GiB × 2..4 nodes; big: 8 vCPU, 32 GiB × 1 node
        // nodes 3..5; vCPU 2×2+8 = 12 .. 2×4+8 = 16; memory 4×2+32 = 40 .. 4×4+32 = 48
        const sized = capacity(
            plan(
                "aws",
                [],
                [
                    { name: "a", machine: "small", min: 2, max: 4 },
                    { name: "b", machine: "big", min: 1, max: 1 },
                ],
            ),
            SMALL_TABLE,
        );
        assert.deepStrictEqual(
            [sized.nodes, sized.vcpu, sized.memoryGiB],
            [
                { min: 3, max: 5 },
                { min: 12, max: 16 },
                { min: 40, max: 48 },
            ],
        );
        assert.throws(() => capacity(plan("aws", [], [{ name: "a", machine: "huge", min: 1, max: 1 }]), SMALL_TABLE), /machine size huge/);
    });

    it("committed price lines each carry a date, a public source, a region and an assumption", () => {
        const items = PRICE_TABLE.lines.map((l) => l.item);
        assert.strictEqual(new Set(items).size, items.length, "duplicate price items");
        assert.strictEqual(PRICE_TABLE.hoursPerMonth, 730);
        for (const l of PRICE_TABLE.lines) {
            assert.match(l.asOf, /^\d{4}-\d{2}$/, l.item);
            assert.match(l.source, /^https:\/\/(aws\.amazon\.com|azure\.microsoft\.com)\//, l.item);
            assert.ok(l.region.length > 0 && l.assumption.length > 0, l.item);
            if (l.unit === "hour") assert.match(l.assumption, /730 h\/month/, l.item);
            assert.ok(l.usd >= 0, l.item);
        }
    });
});
