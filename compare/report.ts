/** The comparison report: one entry per target, what the renderers draw. */
import type { Capacity, Estimate } from "./estimate";
import type { OperationalFacts } from "./facts";
import type { ResourcePlan } from "./plan";
import type { Cloud } from "../model/targets";

/** The policy pack's outcome on a target: rule names by result. */
export interface Posture {
    readonly passed: readonly string[];
    readonly waived: readonly string[];
    readonly failed: readonly string[];
}

/** Everything the report shows about one target; a part that could not be computed carries its error. */
export interface TargetReport {
    readonly target: Cloud;
    /** Stack whose target block was used ("prod", or the committed reference stack). */
    readonly blockFrom: string;
    /** Why the program did not run for this target (then only facts are known). */
    readonly error?: string;
    readonly plan?: ResourcePlan;
    readonly capacity?: Capacity;
    readonly estimate?: Estimate;
    /** Why there is no estimate or capacity (an unpriced item, named). */
    readonly estimateError?: string;
    readonly posture?: Posture;
    readonly facts?: OperationalFacts;
}

/** The whole report. */
export interface ComparisonReport {
    /** The environment whose app stack is compared. */
    readonly env: string;
    readonly generatedAt: string;
    readonly targets: readonly TargetReport[];
    /** One line per stack file whose deploy-only placeholders were evaluated with stand-ins. Default none. */
    readonly standInNotices?: readonly string[];
}

/** Whether any part of the report failed (the CLI then exits non-zero). */
export function hasErrors(report: ComparisonReport): boolean {
    return report.targets.some((t) => t.error !== undefined || t.estimateError !== undefined);
}
