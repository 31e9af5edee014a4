/**
 * The whole stack config as one schema: a discriminated union on `cloud`, with the shared
 * app stack beside it. Pure: it never reads Pulumi config or the environment.
 */
import { z } from "zod";
import { SECRET_KEYS } from "../../model/stack";
import { CLOUDS } from "../../model/targets";
import { appSchema, buildSchema, servicesSchema } from "./app";
import { awsSchema } from "./aws";
import { azureSchema } from "./azure";
import { budgetSchema } from "./budget";
import { dataSchema } from "./data";
import { localSchema } from "./local";
import { policySchema } from "./policy";
import { oneOf } from "./rules";
import { swarmSchema } from "./swarm";

/** The target blocks, keyed by the `cloud` value that selects them. */
export const targetSchemas = { local: localSchema, aws: awsSchema, azure: azureSchema, swarm: swarmSchema } as const;

/** Top-level keys under `platform:`; anything else is a typo. */
export const rawConfigSchema = z.strictObject({
    cloud: oneOf(CLOUDS).describe(
        "Where the stack runs: local (an existing or the embedded cluster), aws (EKS), azure (AKS) or swarm (Docker Swarm).",
    ),
    app: appSchema.prefault({}),
    services: servicesSchema,
    data: dataSchema.prefault({}),
    build: buildSchema.prefault({}),
    policy: policySchema.prefault({}),
    budget: budgetSchema.prefault({}),
    local: localSchema.optional(),
    aws: awsSchema.optional(),
    azure: azureSchema.optional(),
    swarm: swarmSchema.optional(),
});

export type RawConfig = z.output<typeof rawConfigSchema>;

/** Every valid top-level key, for "did you mean" suggestions. */
export const TOP_LEVEL_KEYS: readonly string[] = [...Object.keys(rawConfigSchema.shape), ...SECRET_KEYS];
