/**
 * `npm run preview:all [-- --mock-only]`: one table of what a preview of every committed stack
 * would do (stack, mode, creates, updates, replaces, deletes, policy violations).
 *
 * - Local stacks (platform:cloud local), unless --mock-only: the real engine. A throwaway
 *   platform (harness/engineHarness.ts) is started, a fresh stack in a file backend runs
 *   `pulumi preview --json` with the policy pack and the stack's waivers. The state is empty,
 *   so every resource is a create. Takes 1–2 minutes once the toolchain is built.
 * - Every other stack (and local ones with --mock-only): the program under mocks, its resource
 *   list compared with the committed golden list (test/golden/<stack>.txt): lines only in the
 *   run are creates, lines only in the golden list are deletes. Mocks cannot see property
 *   changes, so updates and replaces are "n/a". Policy violations come from the pack run over the
 *   mock registrations (harness/policyRunner.ts).
 *
 * Exits 1 when a stack fails to preview or has a mandatory (unwaived) policy violation.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { RULES } from "../policy/catalog";
import { configOnHarness, startHarness } from "../harness/engineHarness";
import { createStack } from "../harness/pulumiCli";
import { must, seconds } from "../harness/shell";
import type { Registration } from "../harness/mocks";
import { checkStack, stackPolicyConfig, StackPolicyResult } from "../harness/policyRunner";
import { COMMITTED_STACKS } from "../harness/committedStacks";
import { PROJECT_DIR, readStackFile, standInNotice } from "../harness/stackFiles";

/** Rules that report (advisory by design) rather than gate. */
const REPORT_RULES: readonly string[] = RULES.filter((r) => r.advisory === true).map((r) => r.name);

/** Mode label of a mock row: a resource-level plan, not an engine diff. */
export const MOCK_MODE = "mock plan vs golden";
/** Mode label of an engine row. */
export const ENGINE_MODE = "engine (throwaway platform, empty state)";

/** One row of the table; counts are strings so "n/a" and "-" fit. */
export interface PlanRow {
    readonly stack: string;
    readonly mode: string;
    readonly creates: string;
    readonly updates: string;
    readonly replaces: string;
    readonly deletes: string;
    readonly violations: string;
    /** Lines printed under the table for this stack (changed resources, violations, errors). */
    readonly details: readonly string[];
    /** Whether this stack should fail the command. */
    readonly failed: boolean;
}

/** A registration as a golden-list line (the format of test/golden/<stack>.txt). */
export function goldenLine(r: Registration): string {
    return `${r.type}::${r.name}  (parent ${r.parentType})`;
}

/** Multiset difference of resource lines: what the run adds to and removes from the golden list. */
export function diffLines(actual: readonly string[], golden: readonly string[]): { creates: string[]; deletes: string[] } {
    const remaining = new Map<string, number>();
    for (const line of golden) remaining.set(line, (remaining.get(line) ?? 0) + 1);
    const creates: string[] = [];
    for (const line of actual) {
        const left = remaining.get(line) ?? 0;
        if (left > 0) remaining.set(line, left - 1);
        else creates.push(line);
    }
    const deletes = [...remaining].flatMap(([line, n]) => Array<string>(n).fill(line));
    return { creates: creates.sort(), deletes: deletes.sort() };
}

/**
 * "2", "2 (+1 waived)" or "0 (+3 unchecked)": mandatory violations first; in brackets the waived
 * (advisory) ones and the checks a preview could not run because a value is unknown until deploy.
 */
export function violationsCell(mandatory: number, waived: number, unchecked = 0): string {
    const extra = [waived > 0 ? `+${waived} waived` : "", unchecked > 0 ? `+${unchecked} unchecked` : ""].filter((x) => x !== "");
    return extra.length > 0 ? `${mandatory} (${extra.join(", ")})` : String(mandatory);
}

/** Whether an engine policy event says the check could not run in preview (an unknown value), not a violation. */
export function isUncheckedInPreview(message: string): boolean {
    return /can't run policy .* during preview/.test(message);
}

function readGolden(stack: string): string[] | undefined {
    const file = path.join(PROJECT_DIR, "test", "golden", `${stack}.txt`);
    if (!fs.existsSync(file)) return undefined;
    return fs
        .readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "");
}

const MAX_DETAIL_LINES = 20;

function capped(lines: readonly string[]): string[] {
    if (lines.length <= MAX_DETAIL_LINES) return [...lines];
    return [...lines.slice(0, MAX_DETAIL_LINES), `… ${lines.length - MAX_DETAIL_LINES} more`];
}

function errorRow(stack: string, mode: string, message: string): PlanRow {
    return {
        stack,
        mode,
        creates: "-",
        updates: "-",
        replaces: "-",
        deletes: "-",
        violations: "-",
        details: [`error: ${message}`],
        failed: true,
    };
}

/** The table row of a stack checked under mocks, against its golden list (undefined: none committed). */
export function mockRow(result: StackPolicyResult, golden: readonly string[] | undefined, mode = MOCK_MODE): PlanRow {
    if (result.status !== "checked") {
        const firstLine = result.error.message.split("\n")[0];
        return result.status === "not wired"
            ? { ...errorRow(result.stack, mode, firstLine), details: [`not wired: ${firstLine}`], failed: false }
            : errorRow(result.stack, mode, result.error.message);
    }
    const outcome = result.outcome;
    const mandatory = outcome.violations.filter((v) => !v.advisory);
    const waived = outcome.violations.filter((v) => v.waived).length;
    const violationLines = mandatory.map((v) => `policy ${v.rule}: ${v.urn ?? "(stack)"}: ${v.message}`);
    if (golden === undefined) {
        return {
            stack: result.stack,
            mode: `${mode} (no golden list)`,
            creates: String(result.registrations.length),
            updates: "n/a",
            replaces: "n/a",
            deletes: "0",
            violations: violationsCell(mandatory.length, waived),
            details: [...violationLines, "no test/golden list: every resource counted as a create (npm run golden:update)"],
            failed: mandatory.length > 0,
        };
    }
    const { creates, deletes } = diffLines(result.registrations.map(goldenLine), golden);
    return {
        stack: result.stack,
        mode,
        creates: String(creates.length),
        updates: "n/a",
        replaces: "n/a",
        deletes: String(deletes.length),
        violations: violationsCell(mandatory.length, waived),
        details: [...capped(creates.map((l) => `+ ${l}`)), ...capped(deletes.map((l) => `- ${l}`)), ...violationLines],
        failed: mandatory.length > 0,
    };
}

/** One line of `pulumi preview --event-log`: only its policy events matter here. */
interface EngineEvent {
    readonly policyEvent?: {
        readonly policyName: string;
        readonly message: string;
        readonly enforcementLevel: string;
        readonly resourceUrn?: string;
    };
}

/** The table row of an engine preview: its `--json` digest, its event log (policy events) and exit code. */
export function engineRow(stack: string, previewJson: string, eventLog: string, code: number, stderr = ""): PlanRow {
    let digest: { changeSummary?: Record<string, number>; diagnostics?: { severity: string; message: string }[] };
    try {
        digest = JSON.parse(previewJson) as typeof digest;
    } catch {
        return errorRow(stack, ENGINE_MODE, `pulumi preview exited ${code} without a JSON digest\n${stderr.slice(-2000)}`);
    }
    const events = eventLog
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as EngineEvent)
        .flatMap((e) => (e.policyEvent ? [e.policyEvent] : []));
    const unchecked = events.filter((e) => isUncheckedInPreview(e.message));
    const mandatory = events.filter((e) => e.enforcementLevel === "mandatory" && !isUncheckedInPreview(e.message));
    // Report rules (the cost estimate) are advisory by design: neither violations nor waivers.
    const reports = events.filter(
        (e) => REPORT_RULES.includes(e.policyName) && e.enforcementLevel === "advisory" && !isUncheckedInPreview(e.message),
    );
    const count = (op: string) => String(digest.changeSummary?.[op] ?? 0);
    const errors = (digest.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => `error: ${d.message.trim()}`);
    return {
        stack,
        mode: ENGINE_MODE,
        creates: count("create"),
        updates: count("update"),
        replaces: count("replace"),
        deletes: count("delete"),
        violations: violationsCell(
            mandatory.length,
            events.length - mandatory.length - unchecked.length - reports.length,
            unchecked.length,
        ),
        details: [
            ...events.map(
                (e) =>
                    `policy ${e.policyName} (${isUncheckedInPreview(e.message) ? "unchecked in preview" : e.enforcementLevel}): ${e.resourceUrn ?? "(stack)"}: ${e.message.trim()}`,
            ),
            ...errors,
        ],
        failed: code !== 0 || mandatory.length > 0,
    };
}

const COLUMNS = [
    ["stack", "stack"],
    ["mode", "mode"],
    ["creates", "creates"],
    ["updates", "updates"],
    ["replaces", "replaces"],
    ["deletes", "deletes"],
    ["violations", "policy violations"],
] as const;

/** Renders rows as one aligned text table. */
export function renderTable(rows: readonly PlanRow[]): string {
    const cells = [COLUMNS.map(([, title]) => title), ...rows.map((r) => COLUMNS.map(([key]) => r[key]))];
    const widths = COLUMNS.map((_, i) => Math.max(...cells.map((c) => c[i].length)));
    return cells
        .map((c) =>
            c
                .map((cell, i) => cell.padEnd(widths[i]))
                .join("  ")
                .trimEnd(),
        )
        .join("\n");
}

function progress(line: string): void {
    process.stderr.write(`[preview:all] ${line}\n`);
}

/** Previews a local stack through the real engine on a throwaway platform. */
async function enginePreview(stack: string): Promise<PlanRow> {
    const t = Date.now();
    await must(path.join(PROJECT_DIR, "tools", "toolchain.sh"), ["all"], { timeoutMs: 60 * 60 * 1000 });
    progress(`toolchain ready (${seconds(Date.now() - t)})`);
    const harness = await startHarness(progress);
    const name = `preview-${stack}`;
    // `pulumi stack init` writes Pulumi.<name>.yaml into the project folder: remove ours after.
    const strayStackFile = path.join(PROJECT_DIR, `Pulumi.${name}.yaml`);
    const hadStackFile = fs.existsSync(strayStackFile);
    try {
        const document = parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8")) as {
            config: Record<string, unknown>;
        };
        const config = configOnHarness(document.config, harness);
        const policyConfig = path.join(harness.dir, `policy-${stack}.json`);
        fs.writeFileSync(policyConfig, JSON.stringify(stackPolicyConfig(readStackFile(stack))));
        const eventLog = path.join(harness.dir, `events-${stack}.jsonl`);
        // --event-log (the policy events; `--json` leaves them out) exists only with debug commands on.
        const testStack = await createStack(harness.dir, name, config, {
            DOCKER_CONFIG: harness.dockerConfig,
            PULUMI_DEBUG_COMMANDS: "true",
        });
        const t0 = Date.now();
        const preview = await testStack.pulumi([
            "preview",
            "--json",
            "--event-log",
            eventLog,
            "--policy-pack",
            path.join(PROJECT_DIR, "policy"),
            "--policy-pack-config",
            policyConfig,
        ]);
        progress(`engine preview of ${stack}: ${seconds(Date.now() - t0)}, exit ${preview.code}`);
        const events = fs.existsSync(eventLog) ? fs.readFileSync(eventLog, "utf8") : "";
        return engineRow(stack, preview.stdout, events, preview.code, preview.stderr);
    } finally {
        await harness.stop();
        fs.rmSync(harness.dir, { recursive: true, force: true });
        if (!hadStackFile) fs.rmSync(strayStackFile, { force: true });
    }
}

async function main(argv: readonly string[]): Promise<number> {
    const mockOnly = argv.includes("--mock-only");
    const stacks = [...COMMITTED_STACKS];
    const rows: PlanRow[] = [];
    for (const stack of stacks) {
        const local = readStackFile(stack).config["platform:cloud"] === "local";
        if (local && !mockOnly) {
            progress(`${stack}: real engine on a throwaway platform (1–2 min; --mock-only skips it)`);
            try {
                rows.push(await enginePreview(stack));
                continue;
            } catch (err) {
                const reason = (err instanceof Error ? err.message : String(err)).split("\n")[0];
                progress(`${stack}: engine preview failed, falling back to the mock plan: ${reason}`);
                const fallback = mockRow(await checkStack(stack), readGolden(stack), `${MOCK_MODE} (engine failed)`);
                rows.push({ ...fallback, details: [`engine failed: ${reason}`, ...fallback.details], failed: true });
                continue;
            }
        }
        progress(`${stack}: program under mocks`);
        rows.push(mockRow(await checkStack(stack), readGolden(stack)));
    }
    console.log(renderTable(rows));
    for (const row of rows) {
        if (row.details.length === 0) continue;
        console.log(`\n${row.stack} (${row.mode}):`);
        for (const line of row.details) console.log(`  ${line}`);
    }
    for (const stack of stacks) {
        const notice = standInNotice(stack, readStackFile(stack).standIns ?? []);
        if (notice !== undefined) console.log(`\n${notice}`);
    }
    console.log(
        `\n"${MOCK_MODE}": resource lines added to / removed from test/golden/<stack>.txt; updates and replaces need the engine and cloud access (the preview workflow).`,
    );
    return rows.some((r) => r.failed) ? 1 : 0;
}

/**
 * The engine tells a program its project folder in PULUMI_NODEJS_ROOT_DIRECTORY; the SDK reads it
 * once, when it is loaded, and under mocks answers "rootDirectory" without it. So the script
 * re-runs itself with the variable set, as the engine would.
 */
function withRootDirectory(): number | undefined {
    if (process.env.PULUMI_NODEJS_ROOT_DIRECTORY) return undefined;
    const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
        stdio: "inherit",
        env: { ...process.env, PULUMI_NODEJS_ROOT_DIRECTORY: PROJECT_DIR },
    });
    return child.status ?? 1;
}

if (require.main === module) {
    const code = withRootDirectory();
    if (code !== undefined) process.exit(code);
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (err: unknown) => {
            console.error(err);
            process.exit(1);
        },
    );
}
