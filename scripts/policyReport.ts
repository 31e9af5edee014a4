/**
 * `npm run policy`: runs every committed stack's program under mocks, applies the policy pack
 * with the stack's waivers and budget, prints stack × passed / waived / failed with the estimated
 * monthly cost (min–max) and the capacity verdict at max scale, then per stack the three largest
 * cost items, and writes policy/generated/<stack>.json, the --policy-pack-config that carries the
 * same waivers and budget to `pulumi preview --policy-pack policy`. Exits 1 on any mandatory
 * violation or unknown waiver.
 */
import * as fs from "fs";
import * as path from "path";
import { RULES } from "../policy/catalog";
import { PACK_NAME } from "../policy/pack";
import { capacityVerdict, checkCapacity } from "../policy/cost/capacity";
import { stackCost, StackCost, topLines, usd } from "../policy/cost/stackCost";
import { checkStack, stackBudget, stackPolicyConfig, stackViews, StackPolicyResult } from "../harness/policyRunner";
import { COMMITTED_STACKS } from "../harness/committedStacks";
import { PROJECT_DIR, readStackFile, standInNotice } from "../harness/stackFiles";

/** Where the per-stack policy configs go (gitignored). */
export const GENERATED_DIR = path.join(PROJECT_DIR, "policy", "generated");

/** One row of the table. */
export interface ReportRow {
    readonly stack: string;
    readonly status: string;
    readonly passed: string;
    readonly waived: string;
    readonly failed: string;
    /** Estimated monthly cost, "$352–$489" (min–max scale), with "+ unpriced" when items lack a price. */
    readonly cost: string;
    readonly budget: string;
    readonly capacity: string;
    readonly notes: string;
}

/** "$352–$489", "+ 1 unpriced" appended when an item has no price line. */
export function costCell(cost: StackCost): string {
    const range = `${usd(cost.minUsd)}–${usd(cost.maxUsd)}`;
    return cost.unpriced.length === 0 ? range : `${range} + ${cost.unpriced.length} unpriced`;
}

/** The table row for a stack's result, with its budget (`platform:budget.monthlyUsd`, undefined: none). */
export function rowOf(result: StackPolicyResult, monthlyUsd?: number): ReportRow {
    const budget = monthlyUsd === undefined ? "none" : usd(monthlyUsd);
    if (result.status !== "checked") {
        const firstLine = result.error.message.split("\n")[0];
        return {
            stack: result.stack,
            status: result.status,
            passed: "-",
            waived: "-",
            failed: "-",
            cost: "-",
            budget,
            capacity: "-",
            notes: firstLine,
        };
    }
    const o = result.outcome;
    const notes = [...o.failed, ...o.waived.map((r) => `${r} (waived)`), ...o.unknownWaivers.map((w) => `unknown waiver ${w.rule}`)].join(
        ", ",
    );
    const views = stackViews(result.registrations);
    const cost = stackCost(views);
    const check = checkCapacity(views);
    const capacity = check === undefined ? capacityVerdict(check, cost.target) : check.fits ? "fits" : "DOES NOT FIT";
    return {
        stack: result.stack,
        status: "checked",
        passed: String(o.passed.length),
        waived: String(o.waived.length),
        failed: String(o.failed.length),
        cost: costCell(cost),
        budget,
        capacity,
        notes,
    };
}

/** Lines under the table for a checked stack: its three largest items, unpriced items, and the capacity numbers. */
export function costDetails(result: StackPolicyResult): string[] {
    if (result.status !== "checked") return [];
    const views = stackViews(result.registrations);
    const cost = stackCost(views);
    const top = topLines(cost).map((l) => `${l.what} ${usd(l.minUsd)}–${usd(l.maxUsd)}`);
    return [
        `${result.stack}  cost: ${costCell(cost)}/month${top.length > 0 ? `; largest: ${top.join(", ")}` : cost.ownHardware ? " (runs on machines the stack does not pay for)" : ""}`,
        ...cost.unpriced.map((u) => `${result.stack}  UNPRICED: ${u.what} (${u.item}): add a line to compare/priceTable.ts`),
        `${result.stack}  capacity at max scale: ${capacityVerdict(checkCapacity(views), cost.target)}`,
    ];
}

/** Renders rows as an aligned text table. */
export function renderTable(rows: readonly ReportRow[]): string {
    const header: ReportRow = {
        stack: "stack",
        status: "status",
        passed: "passed",
        waived: "waived",
        failed: "failed",
        cost: "cost/month (min–max)",
        budget: "budget",
        capacity: "capacity at max",
        notes: "failing / waived rules",
    };
    const columns = ["stack", "status", "passed", "waived", "failed", "cost", "budget", "capacity", "notes"] as const;
    const all = [header, ...rows];
    const widths = columns.map((c) => Math.max(...all.map((r) => r[c].length)));
    return all
        .map((r) =>
            columns
                .map((c, i) => (i === columns.length - 1 ? r[c] : r[c].padEnd(widths[i])))
                .join("  ")
                .trimEnd(),
        )
        .join("\n");
}

/** Whether a result should fail the command: mandatory violations, unknown waivers, or a program error. */
export function isFailure(result: StackPolicyResult): boolean {
    if (result.status !== "checked") return result.status === "error";
    return result.outcome.failed.length > 0 || result.outcome.unknownWaivers.length > 0;
}

async function main(): Promise<number> {
    fs.mkdirSync(GENERATED_DIR, { recursive: true });
    const results: StackPolicyResult[] = [];
    const rows: ReportRow[] = [];
    for (const stack of COMMITTED_STACKS) {
        const result = await checkStack(stack);
        const map = readStackFile(stack);
        results.push(result);
        rows.push(rowOf(result, stackBudget(map)));
        fs.writeFileSync(path.join(GENERATED_DIR, `${stack}.json`), JSON.stringify(stackPolicyConfig(map), null, 2) + "\n");
    }
    const reports = RULES.filter((r) => r.advisory === true).length;
    console.log(
        `policy pack ${PACK_NAME}: ${RULES.length - reports} mandatory rules and ${reports} report, ${COMMITTED_STACKS.length} committed stacks (program run under mocks)\n`,
    );
    console.log(renderTable(rows));
    for (const stack of COMMITTED_STACKS) {
        const notice = standInNotice(stack, readStackFile(stack).standIns ?? []);
        if (notice !== undefined) console.log(notice);
    }
    console.log("");
    for (const result of results) for (const line of costDetails(result)) console.log(line);
    for (const result of results) {
        if (result.status === "error") console.log(`\n${result.stack}: the program failed under mocks:\n${result.error.message}`);
        if (result.status !== "checked") continue;
        for (const v of result.outcome.violations.filter((x) => !x.advisory || x.waived))
            console.log(`\n${result.stack}  ${v.waived ? "waived" : "FAILED"}  ${v.rule}  ${v.urn ?? "(stack)"}\n  ${v.message}`);
    }
    console.log(`\npolicy configs with each stack's waivers and budget: ${path.relative(process.cwd(), GENERATED_DIR)}/<stack>.json`);
    console.log("engine check: pulumi preview -s <stack> --policy-pack policy --policy-pack-config policy/generated/<stack>.json");
    return results.some(isFailure) ? 1 : 0;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (err: unknown) => {
            console.error(err);
            process.exit(1);
        },
    );
}
