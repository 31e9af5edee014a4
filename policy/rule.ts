/**
 * The shape of a rule: pure metadata plus a pure check over plain property bags, so every rule
 * is testable without the policy engine. policy/pack.ts turns rules into CrossGuard policies.
 */
import type { Props } from "./values";

/** What every rule states: its name, why it exists, and what to set to comply. */
export interface RuleInfo {
    /** Stable rule name, also the waiver key (`platform:policy.waivers[].rule`). */
    readonly name: string;
    /** Why the rule exists: the risk it closes. */
    readonly description: string;
    /** What to set to comply, appended to every violation. */
    readonly remediation: string;
    /**
     * A report, not a gate: the rule runs at enforcement level advisory and its findings inform
     * (the cost estimate). Default: absent, the rule is mandatory.
     */
    readonly advisory?: true;
}

/** One resource as a resource rule sees it (its inputs). */
export interface ResourceView {
    readonly type: string;
    readonly name: string;
    readonly props: Props;
    /** The provider resource the resource uses; undefined when the engine does not say. */
    readonly provider?: { readonly type: string; readonly name: string };
}

/** A rule over one resource at a time, run before the resource is created or updated. */
export interface ResourceRule extends RuleInfo {
    readonly kind: "resource";
    /** Resource types it applies to; empty means every type. */
    readonly types: readonly string[];
    /** Violation messages for the resource; empty when it complies. */
    check(resource: ResourceView): string[];
}

/** One resource as a stack rule sees it (its outputs, after the update). */
export interface StackResourceView {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly props: Props;
    /** URNs of the resources each input property came from (empty when unknown). */
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

/** A violation of a stack rule, attributed to a resource when one is at fault. */
export interface StackFinding {
    readonly message: string;
    readonly urn?: string;
}

/** A rule over all of the stack's resources together. */
export interface StackRule extends RuleInfo {
    readonly kind: "stack";
    /** @param config the rule's policy pack config (waiver, budget); undefined or empty when none is given. */
    check(resources: readonly StackResourceView[], config?: Props): StackFinding[];
}

/** Any rule of the pack. */
export type Rule = ResourceRule | StackRule;
