/**
 * The budget reaches the pack the way waivers do (policy/waivers.ts): a policy pack cannot read
 * stack config, so `npm run policy` (and the mock runner) turn `platform:budget.monthlyUsd`
 * into policy pack config for rule `cost-budget`: `{ "cost-budget": { "monthlyUsd": 500 } }`.
 */

/** Name of the rule that gates on the budget. */
export const BUDGET_RULE = "cost-budget";

/** The policy config property that carries the budget. */
export const BUDGET_PROPERTY = "monthlyUsd";

/** The budget rule's config. */
export interface BudgetRuleConfig {
    readonly [BUDGET_PROPERTY]: number;
}

/** The policy pack config for a stack's budget; empty when the stack sets none. */
export function budgetConfig(monthlyUsd: number | undefined): Record<string, BudgetRuleConfig> {
    return monthlyUsd === undefined ? {} : { [BUDGET_RULE]: { [BUDGET_PROPERTY]: monthlyUsd } };
}

/** The budget a policy's config carries; undefined when it carries none (or not a positive number). */
export function budgetOf(config: unknown): number | undefined {
    if (config === null || typeof config !== "object") return undefined;
    const value = (config as Record<string, unknown>)[BUDGET_PROPERTY];
    return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * A stack's whole policy pack config: its waivers' entries, with the budget merged into the
 * budget rule's entry (a waived budget rule keeps its waiver and gains the budget).
 */
export function withBudget<T extends object>(waivers: Readonly<Record<string, T>>, monthlyUsd: number | undefined): Record<string, object> {
    const config: Record<string, object> = { ...waivers };
    for (const [rule, entry] of Object.entries(budgetConfig(monthlyUsd))) config[rule] = { ...(config[rule] ?? {}), ...entry };
    return config;
}
