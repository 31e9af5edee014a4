/**
 * The coverage matrix: every check of the scanners platform teams already run (Pod Security
 * admission, kube-linter's defaults, checkov's Kubernetes, AWS and Azure checks for what this
 * program deploys), and how the pack answers each. docs/policy.md is generated from it
 * (`npm run docs:policy`); a unit test fails on a check with neither a rule nor a reason, and on
 * a rule name the pack does not have.
 */

/** One check of a scanner and the pack's answer to it. */
export interface CoverageEntry {
    /** The scanner's own id (a PSA check id, a kube-linter check name, a checkov id). */
    readonly id: string;
    readonly title: string;
    /** The service the check is about, for cloud checks (EKS, RDS, AKS, ...). */
    readonly group?: string;
    /** Whether the check concerns something this program deploys. */
    readonly applies: boolean;
    /** The pack's rules that enforce it; empty when it does not apply or is left to the stack. */
    readonly rules: readonly string[];
    /** Why it does not apply, why an applicable check has no rule, or where a rule differs from the scanner. */
    readonly reason?: string;
}

/** A scanner and its checks. */
export interface Scanner {
    readonly id: string;
    readonly name: string;
    /** Where the check list comes from (repository, path, version). */
    readonly source: string;
    readonly entries: readonly CoverageEntry[];
}

/** An entry the pack enforces with `rules`. */
export function covered(id: string, title: string, rules: readonly string[], reason?: string, group?: string): CoverageEntry {
    return { id, title, group, applies: true, rules, reason };
}

/** An entry that does not concern what the program deploys, with why. */
export function notApplicable(id: string, title: string, reason: string, group?: string): CoverageEntry {
    return { id, title, group, applies: false, rules: [], reason };
}

/** An applicable entry the pack does not enforce, with why (a stack's choice, a known gap). */
export function notEnforced(id: string, title: string, reason: string, group?: string): CoverageEntry {
    return { id, title, group, applies: true, rules: [], reason };
}

/** Counts of one scanner (or one group): checks listed, applicable, covered by a rule. */
export interface CoverageCounts {
    readonly listed: number;
    readonly applicable: number;
    readonly covered: number;
}

/** The counts of a list of entries. */
export function countsOf(entries: readonly CoverageEntry[]): CoverageCounts {
    const applicable = entries.filter((e) => e.applies);
    return { listed: entries.length, applicable: applicable.length, covered: applicable.filter((e) => e.rules.length > 0).length };
}
