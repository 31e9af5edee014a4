/**
 * `npm run policy`: runs every committed stack's program under mocks, applies the policy pack
 * with the stack's waivers, prints stack × passed / waived / failed, and writes
 * policy/generated/<stack>.json, the --policy-pack-config that carries the same waivers to
 * `pulumi preview --policy-pack policy`. Exits 1 on any mandatory violation or unknown waiver.
 */
import * as fs from "fs";
import * as path from "path";
import { RULES } from "../policy/catalog";
import { PACK_NAME } from "../policy/pack";
import { waiverConfig } from "../policy/waivers";
import { checkStack, StackPolicyResult } from "../test/unit/support/policyRunner";
import { COMMITTED_STACKS, PROJECT_DIR } from "../test/unit/support/stackFiles";

/** Where the per-stack policy configs go (gitignored). */
export const GENERATED_DIR = path.join(PROJECT_DIR, "policy", "generated");

/** One row of the table. */
export interface ReportRow {
    readonly stack: string;
    readonly status: string;
    readonly passed: string;
    readonly waived: string;
    readonly failed: string;
    readonly notes: string;
}

/** The table row for a stack's result. */
export function rowOf(result: StackPolicyResult): ReportRow {
    if (result.status !== "checked") {
        const firstLine = result.error.message.split("\n")[0];
        return { stack: result.stack, status: result.status, passed: "-", waived: "-", failed: "-", notes: firstLine };
    }
    const o = result.outcome;
    const notes = [...o.failed, ...o.waived.map((r) => `${r} (waived)`), ...o.unknownWaivers.map((w) => `unknown waiver ${w.rule}`)].join(", ");
    return { stack: result.stack, status: "checked", passed: String(o.passed.length), waived: String(o.waived.length), failed: String(o.failed.length), notes };
}

/** Renders rows as an aligned text table. */
export function renderTable(rows: readonly ReportRow[]): string {
    const header: ReportRow = { stack: "stack", status: "status", passed: "passed", waived: "waived", failed: "failed", notes: "failing / waived rules" };
    const columns = ["stack", "status", "passed", "waived", "failed", "notes"] as const;
    const all = [header, ...rows];
    const widths = columns.map((c) => Math.max(...all.map((r) => r[c].length)));
    return all.map((r) => columns.map((c, i) => (i === columns.length - 1 ? r[c] : r[c].padEnd(widths[i]))).join("  ").trimEnd()).join("\n");
}

/** Whether a result should fail the command: mandatory violations, unknown waivers, or a program error. */
export function isFailure(result: StackPolicyResult): boolean {
    if (result.status !== "checked") return result.status === "error";
    return result.outcome.failed.length > 0 || result.outcome.unknownWaivers.length > 0;
}

async function main(): Promise<number> {
    fs.mkdirSync(GENERATED_DIR, { recursive: true });
    const results: StackPolicyResult[] = [];
    for (const stack of COMMITTED_STACKS) {
        const result = await checkStack(stack);
        results.push(result);
        fs.writeFileSync(path.join(GENERATED_DIR, `${stack}.json`), JSON.stringify(waiverConfig(result.waivers), null, 2) + "\n");
    }
    console.log(`policy pack ${PACK_NAME}: ${RULES.length} mandatory rules, ${COMMITTED_STACKS.length} committed stacks (program run under mocks)\n`);
    console.log(renderTable(results.map(rowOf)));
    for (const result of results) {
        if (result.status === "error") console.log(`\n${result.stack}: the program failed under mocks:\n${result.error.message}`);
        if (result.status !== "checked") continue;
        for (const v of result.outcome.violations) console.log(`\n${result.stack}  ${v.waived ? "waived" : "FAILED"}  ${v.rule}  ${v.urn ?? "(stack)"}\n  ${v.message}`);
    }
    console.log(`\npolicy configs with each stack's waivers: ${path.relative(process.cwd(), GENERATED_DIR)}/<stack>.json`);
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
