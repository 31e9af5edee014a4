/**
 * Waivers: `platform:policy.waivers: [{rule, reason}]` in a stack file waives a rule for that
 * stack. The pack cannot read stack config, so waivers reach it as policy pack config: the
 * waived rule runs at enforcement level "advisory" with its reason in property `waiver`
 * (`npm run policy` writes that file per stack; the mock runner builds the same object).
 */

/** One waiver as the stack config holds it. */
export interface Waiver {
    readonly rule: string;
    readonly reason: string;
}

/** The policy config property that carries a waiver's reason. */
export const WAIVER_PROPERTY = "waiver";

/** A waived rule's config: advisory (reported, never blocking) with the reason. */
export interface WaivedRuleConfig {
    readonly enforcementLevel: "advisory";
    readonly [WAIVER_PROPERTY]: string;
}

/** The policy pack config for a stack's waivers (for `--policy-pack-config`). */
export function waiverConfig(waivers: readonly Waiver[]): Record<string, WaivedRuleConfig> {
    const config: Record<string, WaivedRuleConfig> = {};
    for (const w of waivers) {
        const previous = config[w.rule]?.[WAIVER_PROPERTY];
        config[w.rule] = {
            enforcementLevel: "advisory",
            [WAIVER_PROPERTY]: previous === undefined ? w.reason : `${previous}; ${w.reason}`,
        };
    }
    return config;
}

/** Waivers that name no rule of the pack (a typo would otherwise waive nothing, silently). */
export function unknownWaivers(waivers: readonly Waiver[], ruleNames: readonly string[]): Waiver[] {
    return waivers.filter((w) => !ruleNames.includes(w.rule));
}

/** The waiver reason a policy's config carries, if it is waived. */
export function waiverReason(config: unknown): string | undefined {
    if (config === null || typeof config !== "object") return undefined;
    const reason = (config as Record<string, unknown>)[WAIVER_PROPERTY];
    return typeof reason === "string" && reason !== "" ? reason : undefined;
}
