/**
 * `node bin/scripts/costEstimate.js --stack <stack> [--base <file>] [--markdown]`: the stack's
 * estimated monthly cost, computed as the policy pack computes it (the program under mocks, its
 * registrations through compare/'s plan and price table).
 *
 * - Without --markdown: prints the estimate as JSON ({@link CostRecord}).
 * - With --markdown: prints the PR comment's cost section, with the change at max scale against
 *   the record in --base (the same JSON, computed from the base commit); an empty or missing
 *   record says the base had no estimate.
 *
 * The preview workflow runs it on the PR head and on a checkout of the base commit.
 * Exits 1 when the program fails under mocks, 2 on bad arguments.
 */
import * as fs from "fs";
import { capacityVerdict, checkCapacity } from "../policy/cost/capacity";
import { stackCost, topLines, usd, usdChange } from "../policy/cost/stackCost";
import { checkStack, stackBudget, stackViews } from "../harness/policyRunner";
import { readStackFile } from "../harness/stackFiles";

/** One stack's estimate, as JSON between the head and base runs. Field names are a contract between commits. */
export interface CostRecord {
    readonly stack: string;
    readonly target: string;
    readonly minUsd: number;
    readonly maxUsd: number;
    /** Items without a price line ("what (item)"). */
    readonly unpriced: readonly string[];
    /** The three largest lines at max scale. */
    readonly top: readonly { readonly what: string; readonly maxUsd: number }[];
    readonly pricesAsOf: readonly string[];
    /** `platform:budget.monthlyUsd`, absent when unset. */
    readonly budgetUsd?: number;
    readonly capacity: string;
}

/** Estimates a committed stack under mocks. */
export async function costRecord(stack: string): Promise<CostRecord> {
    const result = await checkStack(stack);
    if (result.status !== "checked") throw new Error(`${stack}: the program did not run under mocks: ${result.error.message}`);
    const views = stackViews(result.registrations);
    const cost = stackCost(views);
    return {
        stack,
        target: cost.target,
        minUsd: cost.minUsd,
        maxUsd: cost.maxUsd,
        unpriced: cost.unpriced.map((u) => `${u.what} (${u.item})`),
        top: topLines(cost).map((l) => ({ what: l.what, maxUsd: l.maxUsd })),
        pricesAsOf: cost.pricesAsOf,
        budgetUsd: stackBudget(readStackFile(stack)),
        capacity: capacityVerdict(checkCapacity(views), cost.target),
    };
}

/** A base record read from JSON; undefined when absent, empty or not a record of this stack. */
export function parseBaseRecord(json: string, stack: string): CostRecord | undefined {
    if (json.trim() === "") return undefined;
    const value = JSON.parse(json) as Partial<CostRecord>;
    return value.stack === stack && typeof value.maxUsd === "number" && typeof value.minUsd === "number"
        ? (value as CostRecord)
        : undefined;
}

/** "+$212/month at max scale (+$100 at min) against the base branch ($136 at max)", or why there is no change. */
export function changeText(head: CostRecord, base: CostRecord | undefined): string {
    if (base === undefined) return "no estimate for the base commit (it predates scripts/costEstimate.ts or the stack is new)";
    return `**${usdChange(head.maxUsd - base.maxUsd)}/month at max scale** (${usdChange(head.minUsd - base.minUsd)} at min) against the base branch (${usd(base.minUsd)}–${usd(base.maxUsd)})`;
}

/** The PR comment's cost section for one stack (Markdown). */
export function costMarkdown(head: CostRecord, base: CostRecord | undefined): string {
    const asOf = head.pricesAsOf.length === 0 ? "" : `, on-demand list prices of ${head.pricesAsOf.join(", ")}`;
    const budget =
        head.budgetUsd === undefined
            ? "no budget set (advisory)"
            : head.maxUsd > head.budgetUsd || head.unpriced.length > 0
              ? `budget ${usd(head.budgetUsd)}: **exceeded or incomplete, the preview fails (cost-budget)**`
              : `budget ${usd(head.budgetUsd)}: within`;
    const lines = [
        `### Cost of \`${head.stack}\` (${head.target})`,
        "",
        `Estimated **${usd(head.minUsd)}–${usd(head.maxUsd)}/month** at min–max scale${asOf}; ${changeText(head, base)}.`,
        "",
        `- Largest at max: ${head.top.length === 0 ? "none (runs on machines the stack does not pay for)" : head.top.map((t) => `${t.what} ${usd(t.maxUsd)}`).join(", ")}`,
        `- ${budget}`,
        `- Capacity at max scale: ${head.capacity}`,
    ];
    if (head.unpriced.length > 0) lines.push(`- Unpriced (not in the total): ${head.unpriced.join(", ")}`);
    lines.push("", "_Estimate: compare/priceTable.ts; what it leaves out: docs/compare.md._");
    return lines.join("\n") + "\n";
}

/** Parsed command line. */
export interface CostArgs {
    readonly stack: string;
    readonly base?: string;
    readonly markdown: boolean;
}

/** Parses `--stack <stack> [--base <file>] [--markdown]`; throws a usage message on anything else. */
export function parseCostArgs(argv: readonly string[]): CostArgs {
    let stack: string | undefined;
    let base: string | undefined;
    let markdown = false;
    for (let i = 0; i < argv.length; i++) {
        const value = argv[i + 1];
        if (argv[i] === "--markdown") markdown = true;
        else if (argv[i] === "--stack" && value !== undefined) stack = argv[++i];
        else if (argv[i] === "--base" && value !== undefined) base = argv[++i];
        else throw new Error(`unknown argument ${argv[i]}; usage: costEstimate --stack <stack> [--base <file>] [--markdown]`);
    }
    if (stack === undefined) throw new Error("missing --stack <stack>");
    return { stack, base, markdown };
}

async function main(): Promise<number> {
    let args: CostArgs;
    try {
        args = parseCostArgs(process.argv.slice(2));
    } catch (err) {
        process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
        return 2;
    }
    const head = await costRecord(args.stack);
    if (!args.markdown) {
        process.stdout.write(JSON.stringify(head, null, 2) + "\n");
        return 0;
    }
    const base =
        args.base !== undefined && fs.existsSync(args.base) ? parseBaseRecord(fs.readFileSync(args.base, "utf8"), args.stack) : undefined;
    process.stdout.write(costMarkdown(head, base));
    return 0;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (err: unknown) => {
            process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
            process.exit(1);
        },
    );
}
