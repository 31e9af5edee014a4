/**
 * Runs the real program once per target under the unit tests' recording mocks (no cloud, no
 * network) and turns each run into a report entry.
 */
import * as fs from "fs";
import * as path from "path";
import { applyPack, stackWaivers } from "../harness/policyRunner";
import { runStack, withScratchKubeconfig } from "../harness/runStack";
import { PROJECT_DIR, readStackFile, standInNotice } from "../harness/stackFiles";
import { composeTargetConfig, REFERENCE_STACK } from "./compose";
import { capacity, estimate } from "./estimate";
import { Measurements, operationalFacts, parseMeasurements } from "./facts";
import { buildPlan } from "./plan";
import { PRICE_TABLE } from "./priceTable";
import type { PriceTable } from "./prices";
import type { ComparisonReport, TargetReport } from "./report";
import { CLOUDS, Cloud } from "../model/targets";

/** compare/measured.json, or no measurements when the file is absent. */
export function readMeasurements(file = path.join(PROJECT_DIR, "compare", "measured.json")): Measurements {
    return fs.existsSync(file) ? parseMeasurements(JSON.parse(fs.readFileSync(file, "utf8"))) : {};
}

/** KUBERNETES_VERSION pinned for the embedded local platform (tools/versions.env). */
export function localKubernetesVersion(file = path.join(PROJECT_DIR, "tools", "versions.env")): string | undefined {
    if (!fs.existsSync(file)) return undefined;
    return /^KUBERNETES_VERSION=(\S+)/m.exec(fs.readFileSync(file, "utf8"))?.[1];
}

function message(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}

async function evaluateTarget(env: string, target: Cloud, table: PriceTable, measured: Measurements): Promise<TargetReport> {
    const envMap = readStackFile(env);
    const blockFrom = envMap.config[`platform:${target}`] !== undefined ? env : REFERENCE_STACK[target];
    const map = composeTargetConfig(envMap, target, readStackFile(REFERENCE_STACK[target]));
    const run = await runStack(env, withScratchKubeconfig(map));
    if (run.error) return { target, blockFrom, error: run.error.message };
    const plan = buildPlan(target, run.registrations);
    const outcome = await applyPack(run.registrations, stackWaivers(map));
    const version = target === "local" ? localKubernetesVersion() : plan.kubernetesVersion;
    const base = {
        target,
        blockFrom,
        plan,
        posture: { passed: outcome.passed, waived: outcome.waived, failed: outcome.failed },
        facts: operationalFacts(target, plan.features, version, measured),
    };
    try {
        return { ...base, capacity: capacity(plan, table), estimate: estimate(plan, table) };
    } catch (err) {
        return { ...base, estimateError: message(err) };
    }
}

/** Evaluates `env`'s app stack on every target, in {@link CLOUDS} order. */
export async function evaluate(
    env: string,
    table: PriceTable = PRICE_TABLE,
    measured: Measurements = readMeasurements(),
): Promise<ComparisonReport> {
    const targets: TargetReport[] = [];
    for (const target of CLOUDS) targets.push(await evaluateTarget(env, target, table, measured));
    const stacks = [...new Set([env, ...CLOUDS.map((target) => REFERENCE_STACK[target])])];
    const standInNotices = stacks
        .map((stack) => standInNotice(stack, readStackFile(stack).standIns ?? []))
        .filter((n): n is string => n !== undefined);
    return { env, generatedAt: new Date().toISOString(), targets, standInNotices };
}
