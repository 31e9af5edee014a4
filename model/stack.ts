/**
 * The validated stack: the app, the data, the build and policy settings, and the target block
 * that `cloud` selects. Pure: no Pulumi, no zod. The config edge (stacks/parse.ts) is the only
 * producer; stacks/buildStack.ts and the components are its consumers.
 */
import type { AppSpec, BuildSettings } from "./app";
import type { AwsSettings, AzureSettings, DataSettings, LocalTarget, SwarmSettings } from "./targets";

/** Keys read as secrets (never as plain values). */
export const SECRET_KEYS = ["postgresPassword"] as const;

/** A key read with `requireSecret`. */
export type SecretKey = (typeof SECRET_KEYS)[number];

/** `platform:policy`: waived policy rules, each with the reason a reviewer reads. */
export interface PolicySettings {
    readonly waivers: readonly { readonly rule: string; readonly reason: string }[];
}

/** `platform:budget`: the monthly cost the policy pack gates on (unset: the estimate is advisory). */
export interface BudgetSettings {
    readonly monthlyUsd?: number | undefined;
}

/** What every stack has, whatever its target. */
export interface StackBase {
    readonly stack: string;
    readonly app: AppSpec;
    readonly data: DataSettings;
    readonly build: BuildSettings;
    readonly policy: PolicySettings;
    readonly budget: BudgetSettings;
    /** Secret keys the program must read with requireSecret (they stay Outputs). */
    readonly requiredSecrets: readonly SecretKey[];
}

/** The validated stack config: the target block matches `cloud`. */
export type StackConfig =
    | (StackBase & { readonly cloud: "local"; readonly target: LocalTarget })
    | (StackBase & { readonly cloud: "aws"; readonly target: AwsSettings })
    | (StackBase & { readonly cloud: "azure"; readonly target: AzureSettings })
    | (StackBase & { readonly cloud: "swarm"; readonly target: SwarmSettings });
