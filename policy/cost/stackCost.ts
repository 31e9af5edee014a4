/**
 * The stack's monthly cost as the policy pack sees it: the resources the program registered
 * (in a preview, their planned state) go through compare/'s own plan and estimate, so the pack,
 * `npm run policy`, `npm run compare` and the PR comment price a stack the same way. Items the
 * price table has no line for are returned as unpriced, never counted as zero.
 */
import { CostLine, estimate } from "../../compare/estimate";
import { buildPlan, PlannedResource, ResourcePlan, Usage } from "../../compare/plan";
import { PRICE_TABLE } from "../../compare/priceTable";
import { findPrice, PriceTable } from "../../compare/prices";
import type { Props } from "../values";
import type { Cloud } from "../../model/targets";

/** What the estimate reads of a resource: its type, name and properties (inputs or planned outputs). */
export interface CostedResource {
    readonly type: string;
    readonly name: string;
    readonly props: Props;
}

/** A stack's estimate: the priced lines, their totals, and what could not be priced. */
export interface StackCost {
    readonly target: Cloud;
    readonly plan: ResourcePlan;
    /** Priced usages, in plan order. */
    readonly lines: readonly CostLine[];
    /** USD per month of the priced lines at min and max scale (unpriced items excluded, and listed). */
    readonly minUsd: number;
    readonly maxUsd: number;
    /** Usages without a price line in the table. */
    readonly unpriced: readonly Usage[];
    /** The target runs on machines the program does not pay for (local, swarm). */
    readonly ownHardware: boolean;
    /** Months the used prices were read ("2026-11"), oldest first. */
    readonly pricesAsOf: readonly string[];
}

/**
 * The target a set of resources deploys to: AWS or Azure by their provider packages, else a
 * local Kubernetes cluster when Kubernetes objects are registered, else a Docker Swarm.
 */
export function targetOf(resources: readonly { readonly type: string }[]): Cloud {
    const uses = (pkg: string) => resources.some((r) => r.type.startsWith(`${pkg}:`) || r.type === `pulumi:providers:${pkg}`);
    if (uses("aws")) return "aws";
    if (uses("azure-native")) return "azure";
    return uses("kubernetes") ? "local" : "swarm";
}

function planned(resource: CostedResource): PlannedResource {
    // Parent types only feed compare/'s resource counts, which the estimate does not use.
    return {
        type: resource.type,
        name: resource.name,
        parentType: "",
        custom: !resource.type.startsWith("pulumi:providers:"),
        inputs: resource.props,
    };
}

/** The compare/ plan of the resources (node pools, usages), for the target they deploy to. */
export function planOf(resources: readonly CostedResource[]): ResourcePlan {
    return buildPlan(targetOf(resources), resources.map(planned));
}

/** Prices the resources with `table` (default: the committed compare/priceTable.ts). */
export function stackCost(resources: readonly CostedResource[], table: PriceTable = PRICE_TABLE): StackCost {
    const plan = planOf(resources);
    const priced = plan.usages.filter((u) => findPrice(table, u.item) !== undefined);
    const unpriced = plan.usages.filter((u) => findPrice(table, u.item) === undefined);
    const result = estimate({ ...plan, usages: priced }, table);
    return {
        target: plan.target,
        plan,
        lines: result.lines,
        minUsd: result.minUsd,
        maxUsd: result.maxUsd,
        unpriced,
        ownHardware: result.ownHardware,
        pricesAsOf: [...new Set(result.lines.map((l) => l.asOf))].sort(),
    };
}

/** The `count` costliest lines at max scale (ties keep plan order). */
export function topLines(cost: StackCost, count = 3): CostLine[] {
    return [...cost.lines].sort((a, b) => b.maxUsd - a.maxUsd).slice(0, count);
}

/** Whole US dollars, with thousands separators: "$1,071". */
export function usd(amount: number): string {
    return `$${Math.round(amount).toLocaleString("en-US")}`;
}

/** "+$212", "-$35", "±$0": a change in whole dollars with its sign. */
export function usdChange(delta: number): string {
    const rounded = Math.round(delta);
    if (rounded === 0) return "±$0";
    return `${rounded > 0 ? "+" : "-"}${usd(Math.abs(rounded))}`;
}

function lineText(line: CostLine): string {
    return `${line.what} ${usd(line.maxUsd)}`;
}

/** One sentence: min and max per month, the three largest items, and what is unpriced. */
export function costSummary(cost: StackCost): string {
    if (cost.ownHardware && cost.lines.length === 0 && cost.unpriced.length === 0) {
        return `estimated monthly cost ${usd(0)} at min and max scale: the ${cost.target} target runs on machines the stack does not pay for`;
    }
    const top = topLines(cost).map(lineText).join(", ");
    const unpriced =
        cost.unpriced.length === 0 ? "" : `; UNPRICED (not in the total): ${cost.unpriced.map((u) => `${u.what} (${u.item})`).join(", ")}`;
    const asOf = cost.pricesAsOf.length === 0 ? "" : ` (on-demand list prices of ${cost.pricesAsOf.join(", ")})`;
    return `estimated monthly cost ${usd(cost.minUsd)} at min scale, ${usd(cost.maxUsd)} at max scale${asOf}; largest at max: ${top === "" ? "none" : top}${unpriced}`;
}
