/**
 * The whole stack config as one schema: a discriminated union on `cloud`, each member the shared
 * app stack plus that cloud's block and no other. Pure: it never reads Pulumi config or the
 * environment.
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

/** `platform:cloud`: which target the stack deploys to, and so which block it reads. */
const cloudSchema = oneOf(CLOUDS).describe(
    "Where the stack runs: local (an existing or the embedded cluster), aws (EKS), azure (AKS) or swarm (Docker Swarm). It selects the one target block the stack sets (platform:local, platform:aws, platform:azure or platform:swarm); a block for another cloud is refused.",
);

/** The keys every stack has, whatever its cloud, each with its default. */
const commonShape = {
    app: appSchema.prefault({}),
    services: servicesSchema,
    data: dataSchema.prefault({}),
    build: buildSchema.prefault({}),
    policy: policySchema.prefault({}),
    budget: budgetSchema.prefault({}),
};

/**
 * Every top-level key under `platform:` that some stack may set, each target block optional:
 * the parser validates each key of it on its own (so every problem is reported at once), and
 * the config reference and "did you mean" read it. Which target block a stack may set is
 * {@link rawConfigSchema}'s rule.
 */
export const configKeysSchema = z.strictObject({
    cloud: cloudSchema,
    ...commonShape,
    local: localSchema.optional(),
    aws: awsSchema.optional(),
    azure: azureSchema.optional(),
    swarm: swarmSchema.optional(),
});

/**
 * The stack config: a discriminated union on `cloud`. Each member requires its cloud's block
 * and, being strict, refuses the block of any other cloud.
 */
export const rawConfigSchema = z.discriminatedUnion("cloud", [
    z.strictObject({ cloud: z.literal("local"), ...commonShape, local: localSchema }),
    z.strictObject({ cloud: z.literal("aws"), ...commonShape, aws: awsSchema }),
    z.strictObject({ cloud: z.literal("azure"), ...commonShape, azure: azureSchema }),
    z.strictObject({ cloud: z.literal("swarm"), ...commonShape, swarm: swarmSchema }),
]);

export type RawConfig = z.output<typeof rawConfigSchema>;

/** Every valid top-level key, for "did you mean" suggestions. */
export const TOP_LEVEL_KEYS: readonly string[] = [...Object.keys(configKeysSchema.shape), ...SECRET_KEYS];
