/**
 * Turns the pure rules into CrossGuard policies: mandatory (reports advisory), the remediation appended
 * to each violation, and a `waiver` config property that marks a stack's waiver in messages.
 */
import type {
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { RULES } from "./catalog";
import type { ResourceRule, Rule, StackResourceView, StackRule } from "./rule";
import { BUDGET_PROPERTY } from "./cost/budget";
import { obj } from "./values";
import { WAIVER_PROPERTY, waiverReason } from "./waivers";

/** Name of the policy pack. */
export const PACK_NAME = "platform-baseline";

/** A violation message: what is wrong, then what to set (a report: its note); prefixed with the waiver when waived. */
export function violationMessage(rule: Rule, finding: string, waiver: string | undefined): string {
    const text = rule.advisory === true ? `${finding}. ${rule.remediation}` : `${finding}. Fix: ${rule.remediation}`;
    return waiver === undefined ? text : `waived for this stack (${waiver}): ${text}`;
}

const configSchema = {
    properties: {
        [WAIVER_PROPERTY]: {
            type: "string" as const,
            description: "Why this rule is waived for the stack (from platform:policy.waivers); set with enforcementLevel advisory.",
        },
        [BUDGET_PROPERTY]: {
            type: "number" as const,
            description: "The stack's monthly budget in USD (from platform:budget.monthlyUsd); read by rule cost-budget.",
        },
    },
};

function common(rule: Rule) {
    const enforcementLevel = rule.advisory === true ? ("advisory" as const) : ("mandatory" as const);
    return { name: rule.name, description: rule.description, enforcementLevel, remediationSteps: rule.remediation, configSchema };
}

function resourcePolicy(rule: ResourceRule): ResourceValidationPolicy {
    return {
        ...common(rule),
        validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
            if (rule.types.length > 0 && !rule.types.includes(args.type)) return;
            const provider = args.provider === undefined ? undefined : { type: args.provider.type, name: args.provider.name };
            const findings = rule.check({ type: args.type, name: args.name, props: args.props as Record<string, unknown>, provider });
            if (findings.length === 0) return;
            const waiver = waiverReason(args.getConfig());
            for (const finding of findings) report(violationMessage(rule, finding, waiver));
        },
    };
}

/** The view of a stack resource a rule reads: outputs, and which resources each property came from. */
export function stackView(resource: PolicyResource): StackResourceView {
    const propertyDependencies: Record<string, string[]> = {};
    for (const [key, sources] of Object.entries(resource.propertyDependencies)) propertyDependencies[key] = sources.map((s) => s.urn);
    return {
        type: resource.type,
        name: resource.name,
        urn: resource.urn,
        props: resource.props as Record<string, unknown>,
        propertyDependencies,
    };
}

function stackPolicy(rule: StackRule): StackValidationPolicy {
    return {
        ...common(rule),
        validateStack: (args: StackValidationArgs, report: ReportViolation) => {
            const config = args.getConfig();
            const findings = rule.check(args.resources.map(stackView), obj(config));
            if (findings.length === 0) return;
            const waiver = waiverReason(config);
            for (const finding of findings) report(violationMessage(rule, finding.message, waiver), finding.urn);
        },
    };
}

/** The CrossGuard policy for a rule. */
export function toPolicy(rule: Rule): ResourceValidationPolicy | StackValidationPolicy {
    return rule.kind === "resource" ? resourcePolicy(rule) : stackPolicy(rule);
}

/** Throws when two rules share a name (names are waiver keys and must be unique). */
export function assertUniqueNames(rules: readonly Rule[]): void {
    const seen = new Set<string>();
    for (const rule of rules) {
        if (seen.has(rule.name)) throw new Error(`policy rule name ${rule.name} is used twice`);
        seen.add(rule.name);
    }
}

assertUniqueNames(RULES);

/** The pack's policies, one per rule, all mandatory. */
export const POLICIES: readonly (ResourceValidationPolicy | StackValidationPolicy)[] = RULES.map(toPolicy);
