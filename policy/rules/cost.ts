/**
 * Cost and capacity of the stack at max scale: the estimate as an advisory report on every
 * preview, the budget gate (`platform:budget.monthlyUsd`), and whether the node pools can hold
 * every workload at its maximum. Pure; the numbers come from policy/cost/.
 */
import { budgetOf, BUDGET_RULE } from "../cost/budget";
import { capacityVerdict, checkCapacity } from "../cost/capacity";
import { costSummary, stackCost, topLines, usd } from "../cost/stackCost";
import type { StackFinding, StackRule } from "../rule";

/** Reports the stack's estimated monthly cost at min and max scale and its three largest items. */
export const costEstimate: StackRule = {
    kind: "stack",
    name: "cost-estimate",
    advisory: true,
    description:
        "What a change costs belongs next to its diff: the stack's estimated monthly cost at min and max scale (compare/ price table, on-demand list prices), reported on every preview.",
    remediation: "A report, never blocking; platform:budget.monthlyUsd makes the estimate a gate (rule cost-budget)",
    check: (resources) => {
        const cost = stackCost(resources);
        return [{ message: `${costSummary(cost)}; capacity at max: ${capacityVerdict(checkCapacity(resources), cost.target)}` }];
    },
};

/** With a budget set, the max-scale estimate stays within it and every item is priced. */
export const costBudget: StackRule = {
    kind: "stack",
    name: BUDGET_RULE,
    description:
        "A budget only holds if a change that breaks it is stopped before it is deployed; an item the price table cannot price would make the estimate too low, so with a budget it fails too.",
    remediation:
        "lower the max scale (platform:<cloud>.maxClusterSize, platform:app.replicas.max) or the instance and data sizes, add the missing price line to compare/priceTable.ts (source, date, assumption), or raise platform:budget.monthlyUsd with the approval of whoever owns the budget",
    check: (resources, config) => {
        const budget = budgetOf(config);
        if (budget === undefined) return [];
        const cost = stackCost(resources);
        const findings: StackFinding[] = [];
        if (cost.unpriced.length > 0) {
            findings.push({
                message: `platform:budget.monthlyUsd is ${usd(budget)} and ${cost.unpriced.length} item(s) have no price line, so the estimate is incomplete: ${cost.unpriced.map((u) => `${u.what} (${u.item})`).join(", ")}`,
            });
        }
        if (cost.maxUsd > budget) {
            const drivers = topLines(cost)
                .map((l) => `${l.what} ${usd(l.maxUsd)}`)
                .join(", ");
            findings.push({
                message: `the estimate at max scale, ${usd(cost.maxUsd)}/month, exceeds platform:budget.monthlyUsd ${usd(budget)} by ${usd(cost.maxUsd - budget)}; driven by ${drivers}`,
            });
        }
        return findings;
    },
};

/** At max scale, every workload's requests fit the node pools' allocatable capacity. */
export const capacityAtMaxScale: StackRule = {
    kind: "stack",
    name: "k8s-capacity-at-max-scale",
    description:
        "If the pods at their HPA maximum (plus in-cluster data and system pods) need more than the node pools hold at their maximum size, the autoscaler can never reach max: pods stay Pending exactly when traffic peaks.",
    remediation:
        "raise platform:<cloud>.maxClusterSize, choose a larger instance (eksNodeInstanceType, nodeVmSize), or lower platform:app cpu/memory requests or replicas.max",
    check: (resources) => checkCapacity(resources)?.problems.map((message) => ({ message })) ?? [],
};

/** The cost and capacity rules, in report order. */
export const COST_RULES: readonly StackRule[] = [costEstimate, costBudget, capacityAtMaxScale];
