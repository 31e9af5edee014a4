/**
 * Applies the policy pack's own CrossGuard policies to registrations recorded under mocks, the
 * way the engine would: validateResource on each custom resource with its type and inputs,
 * validateStack over every resource with its mock state (inputs, fake outputs, id). Waivers go
 * in as the same policy config `npm run policy` writes for the engine.
 */
import * as fs from "fs";
import * as path from "path";
import type { PolicyResource, ReportViolation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { POLICIES, stackView } from "../policy/pack";
import type { StackResourceView } from "../policy/rule";
import { RULES } from "../policy/catalog";
import { withBudget } from "../policy/cost/budget";
import { unknownWaivers, waiverConfig, Waiver } from "../policy/waivers";
import { budgetSchema } from "../stacks/schema/budget";
import { policySchema } from "../stacks/schema/policy";
import { fakeOutputs } from "./fakeOutputs";
import { fakeId, Registration } from "./mocks";
import { runStack, withScratchKubeconfig } from "./runStack";
import { readStackFile, StackConfigMap } from "./stackFiles";

/** One reported violation. */
export interface Violation {
    readonly rule: string;
    readonly message: string;
    /** The resource at fault (stack rules may name none). */
    readonly urn?: string;
    /** Whether the stack waives the rule (it is then advisory, never blocking). */
    readonly waived: boolean;
    /** Whether the violation informs rather than blocks: the rule is a report (cost-estimate) or waived. */
    readonly advisory: boolean;
}

/** What applying the pack produced. */
export interface PolicyOutcome {
    readonly violations: readonly Violation[];
    /** Rule names without blocking or waived violations (a report rule that reported counts as passed). */
    readonly passed: readonly string[];
    /** Rules whose only violations are waived. */
    readonly waived: readonly string[];
    /** Rules with mandatory (unwaived) violations. */
    readonly failed: readonly string[];
    /** Waivers that name no rule of the pack. */
    readonly unknownWaivers: readonly Waiver[];
}

class NotApplicable extends Error {}

function notApplicable(reason?: string): never {
    throw new NotApplicable(reason ?? "not applicable");
}

/** The provider a registration uses, as the engine describes it to a policy. */
export function providerOf(registration: Registration): ResourceValidationArgs["provider"] {
    if (registration.provider === "") {
        const pkg = registration.type.split(":")[0];
        return { type: `pulumi:providers:${pkg}`, name: "default", urn: "", props: {} };
    }
    const parts = registration.provider.split("::");
    const qualifiedType = parts[2] ?? "";
    return { type: qualifiedType.split("$").pop() ?? qualifiedType, name: parts[3] ?? "", urn: parts.slice(0, 4).join("::"), props: {} };
}

/** The SDK types getConfig as generic over what the policy expects; the config itself is plain JSON. */
function asConfigReader(read: () => object): StackValidationArgs["getConfig"] {
    return read as StackValidationArgs["getConfig"];
}

const NO_OPTIONS = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
};

function resourceArgs(r: Registration, getConfig: () => object): ResourceValidationArgs {
    return {
        type: r.type,
        props: r.inputs,
        urn: r.urn,
        name: r.name,
        opts: NO_OPTIONS,
        provider: providerOf(r),
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: asConfigReader(getConfig),
        notApplicable,
    };
}

/** How a registration's state (its outputs) is made up for stack policies. */
export type StateOf = (r: Registration) => Record<string, unknown>;

/** The state the mocks gave a resource: inputs, the type's fake outputs, and its id (what AnalyzeStack reads). */
export const mockState: StateOf = (r) =>
    r.custom ? { ...r.inputs, ...fakeOutputs(r.type, r.name, r.inputs), id: fakeId(r.type, r.name) } : { ...r.inputs };

/** Inputs plus id only: for hand-written fixtures, whose outputs no provider computed. */
export const inputState: StateOf = (r) => (r.custom ? { ...r.inputs, id: fakeId(r.type, r.name) } : { ...r.inputs });

function stackResource(r: Registration, stateOf: StateOf): PolicyResource {
    const props = stateOf(r);
    return {
        type: r.type,
        props,
        urn: r.urn,
        name: r.name,
        opts: NO_OPTIONS,
        dependencies: [],
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
    };
}

/** Whether the engine would send a registration to validateResource (custom resources, not providers). */
export function isAnalyzed(r: Registration): boolean {
    return r.custom && !r.type.startsWith("pulumi:providers:");
}

/** The views stack rules get of registrations, as the engine would hand them over (see {@link mockState}). */
export function stackViews(registrations: readonly Registration[], stateOf: StateOf = mockState): StackResourceView[] {
    return registrations.map((r) => stackView(stackResource(r, stateOf)));
}

/**
 * Runs every policy of the pack over the registrations, with the stack's waivers and budget
 * (the same policy config `npm run policy` writes for the engine).
 */
export async function applyPack(
    registrations: readonly Registration[],
    waivers: readonly Waiver[] = [],
    stateOf: StateOf = mockState,
    monthlyUsd?: number,
): Promise<PolicyOutcome> {
    const config: Record<string, object | undefined> = withBudget(waiverConfig(waivers), monthlyUsd);
    const waivedRules = new Set(waivers.map((w) => w.rule));
    const violations: Violation[] = [];
    const resources = registrations.map((r) => stackResource(r, stateOf));
    for (const policy of POLICIES) {
        const policyConfig = config[policy.name];
        const getConfig = () => policyConfig ?? {};
        const report =
            (urn?: string): ReportViolation =>
            (message, reportedUrn) => {
                const waived = waivedRules.has(policy.name);
                violations.push({
                    rule: policy.name,
                    message,
                    urn: reportedUrn ?? urn,
                    waived,
                    advisory: waived || policy.enforcementLevel === "advisory",
                });
            };
        try {
            if ("validateStack" in policy) {
                const args: StackValidationArgs = { resources, stackTags: new Map(), getConfig: asConfigReader(getConfig), notApplicable };
                await policy.validateStack(args, report());
            } else if (policy.validateResource !== undefined) {
                const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
                for (const r of registrations.filter(isAnalyzed)) {
                    for (const validate of validations) await validate(resourceArgs(r, getConfig), report(r.urn));
                }
            }
        } catch (err) {
            if (!(err instanceof NotApplicable)) throw err;
        }
    }
    const names = POLICIES.map((p) => p.name);
    const withViolations = (pred: (v: Violation) => boolean) => new Set(violations.filter(pred).map((v) => v.rule));
    const failed = withViolations((v) => !v.advisory);
    const waived = withViolations((v) => v.waived);
    return {
        violations,
        passed: names.filter((n) => !failed.has(n) && !waived.has(n)),
        waived: names.filter((n) => waived.has(n) && !failed.has(n)),
        failed: names.filter((n) => failed.has(n)),
        unknownWaivers: unknownWaivers(
            waivers,
            RULES.map((r) => r.name),
        ),
    };
}

/** The waivers in a stack's config map (`platform:policy.waivers`), validated by the program's own schema. */
export function stackWaivers(map: StackConfigMap): Waiver[] {
    const raw = map.config["platform:policy"];
    if (raw === undefined) return [];
    return policySchema.parse(JSON.parse(raw)).waivers;
}

/** The budget in a stack's config map (`platform:budget.monthlyUsd`), validated by the program's own schema. */
export function stackBudget(map: StackConfigMap): number | undefined {
    const raw = map.config["platform:budget"];
    if (raw === undefined) return undefined;
    return budgetSchema.parse(JSON.parse(raw)).monthlyUsd;
}

/** A stack's whole policy pack config (waivers and budget), what `--policy-pack-config` gets. */
export function stackPolicyConfig(map: StackConfigMap): Record<string, object> {
    return withBudget(waiverConfig(stackWaivers(map)), stackBudget(map));
}

/** A committed stack checked under mocks: its outcome, or why the program could not run. */
export type StackPolicyResult =
    | {
          readonly stack: string;
          readonly status: "checked";
          readonly waivers: readonly Waiver[];
          readonly outcome: PolicyOutcome;
          readonly registrations: readonly Registration[];
      }
    | { readonly stack: string; readonly status: "not wired" | "error"; readonly waivers: readonly Waiver[]; readonly error: Error };

/** Whether a program error says the stack's target is not wired into the build yet. */
export function isNotWired(error: Error | undefined): boolean {
    return error !== undefined && /not wired/.test(error.message);
}

/** Cloud fakes that register fake outputs and invokes when imported (harness/<cloud>Fakes.ts). */
const CLOUD_FAKES = ["aws", "azure"];

/**
 * Registers each cloud's fakes, as the cloud test files do by importing them. Loaded by path so
 * this runner (and `npm run policy`, which loads no test files) works whichever targets exist.
 */
export async function loadCloudFakes(): Promise<void> {
    for (const cloud of CLOUD_FAKES) {
        const file = path.join(__dirname, `${cloud}Fakes.js`);
        if (fs.existsSync(file)) await import(file);
    }
}

/** Runs a committed stack's program under mocks and applies the pack with its waivers. */
export async function checkStack(stack: string): Promise<StackPolicyResult> {
    await loadCloudFakes();
    const map = readStackFile(stack);
    const waivers = stackWaivers(map);
    const run = await runStack(stack, withScratchKubeconfig(map));
    if (run.error) return { stack, status: isNotWired(run.error) ? "not wired" : "error", waivers, error: run.error };
    return {
        stack,
        status: "checked",
        waivers,
        outcome: await applyPack(run.registrations, waivers, mockState, stackBudget(map)),
        registrations: run.registrations,
    };
}
