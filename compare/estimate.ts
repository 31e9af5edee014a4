/**
 * The monthly cost estimate: a pure function of a resource plan and the price table. A usage
 * without a price line is an error naming the item, never a silent zero.
 */
import type { NodePool, ResourcePlan } from "./plan";
import { findPrice, monthly, PriceTable, UnpricedError } from "./prices";

/** One costed usage. */
export interface CostLine {
    readonly item: string;
    readonly what: string;
    readonly label: string;
    readonly minUsd: number;
    readonly maxUsd: number;
    readonly asOf: string;
    readonly source: string;
    readonly assumption: string;
}

/** Monthly cost at min and max scale, in USD rounded to cents. */
export interface Estimate {
    readonly lines: readonly CostLine[];
    readonly minUsd: number;
    readonly maxUsd: number;
    /** Set when nothing is paid for because the target runs on your own machines. */
    readonly ownHardware: boolean;
}

const cents = (usd: number) => Math.round(usd * 100) / 100;

/**
 * Prices every usage of `plan`.
 * @throws UnpricedError naming every item the table has no line for.
 */
export function estimate(plan: ResourcePlan, table: PriceTable): Estimate {
    const missing = [...new Set(plan.usages.filter((u) => findPrice(table, u.item) === undefined).map((u) => u.item))];
    if (missing.length > 0) throw new UnpricedError(missing);
    const lines = plan.usages.map((usage): CostLine => {
        const line = findPrice(table, usage.item);
        if (!line) throw new UnpricedError([usage.item]);
        return {
            item: usage.item,
            what: usage.what,
            label: line.label,
            minUsd: cents(monthly(line, usage.min, table.hoursPerMonth)),
            maxUsd: cents(monthly(line, usage.max, table.hoursPerMonth)),
            asOf: line.asOf,
            source: line.source,
            assumption: line.assumption,
        };
    });
    return {
        lines,
        minUsd: cents(lines.reduce((sum, l) => sum + l.minUsd, 0)),
        maxUsd: cents(lines.reduce((sum, l) => sum + l.maxUsd, 0)),
        ownHardware: plan.target === "local" || plan.target === "swarm",
    };
}

/** Node capacity of a plan: per pool and in total, at min and max scale. */
export interface Capacity {
    readonly pools: readonly (NodePool & { readonly vcpu: number; readonly memoryGiB: number })[];
    readonly nodes: { readonly min: number; readonly max: number };
    readonly vcpu: { readonly min: number; readonly max: number };
    readonly memoryGiB: { readonly min: number; readonly max: number };
}

/**
 * Sizes the plan's node pools from the table's machine sizes.
 * @throws UnpricedError naming every machine size the table does not list.
 */
export function capacity(plan: ResourcePlan, table: PriceTable): Capacity {
    const missing = [...new Set(plan.nodePools.filter((p) => !(p.machine in table.machines)).map((p) => `machine size ${p.machine}`))];
    if (missing.length > 0) throw new UnpricedError(missing);
    const pools = plan.nodePools.map((p) => ({
        ...p,
        vcpu: table.machines[p.machine].vcpu,
        memoryGiB: table.machines[p.machine].memoryGiB,
    }));
    const total = (per: (p: (typeof pools)[number]) => number, at: "min" | "max") => pools.reduce((sum, p) => sum + per(p) * p[at], 0);
    return {
        pools,
        nodes: { min: total(() => 1, "min"), max: total(() => 1, "max") },
        vcpu: { min: total((p) => p.vcpu, "min"), max: total((p) => p.vcpu, "max") },
        memoryGiB: { min: total((p) => p.memoryGiB, "min"), max: total((p) => p.memoryGiB, "max") },
    };
}
