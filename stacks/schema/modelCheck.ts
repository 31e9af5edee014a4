/**
 * Compile-time proof that the config edge produces the model: each schema's output is its
 * model type field for field (the model's `readonly` aside), so a key added to a schema and not
 * to the model, or the other way round, fails `tsc` here. The parser returns model types; the
 * components never see a zod type.
 */
import type { z } from "zod";
import type { BuildSettings, HpaTargets, ReplicaRange, VpaMode } from "../../model/app";
import type { BudgetSettings, PolicySettings } from "../../model/stack";
import type { AwsSettings, AzureSettings, Cloud, DataSettings, LocalSettings, SwarmSettings } from "../../model/targets";
import type { appSchema, buildSchema } from "./app";
import type { awsSchema } from "./aws";
import type { azureSchema } from "./azure";
import type { budgetSchema } from "./budget";
import type { rawConfigSchema } from "./index";
import type { dataSchema } from "./data";
import type { localSchema } from "./local";
import type { policySchema } from "./policy";
import type { swarmSchema } from "./swarm";

type DeepReadonly<T> = T extends readonly (infer E)[]
    ? readonly DeepReadonly<E>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/** true when the schema's output and the model are the same shape; false fails the check below. */
type SameShape<Schema, Model> = [DeepReadonly<Schema>] extends [Model] ? ([Model] extends [DeepReadonly<Schema>] ? true : false) : false;

/** One entry per schema; each `true satisfies SameShape<…>` is the check. */
export const SCHEMAS_MATCH_MODEL = {
    cloud: true satisfies SameShape<z.output<typeof rawConfigSchema>["cloud"], Cloud>,
    aws: true satisfies SameShape<z.output<typeof awsSchema>, AwsSettings>,
    azure: true satisfies SameShape<z.output<typeof azureSchema>, AzureSettings>,
    swarm: true satisfies SameShape<z.output<typeof swarmSchema>, SwarmSettings>,
    local: true satisfies SameShape<z.output<typeof localSchema>, LocalSettings>,
    data: true satisfies SameShape<z.output<typeof dataSchema>, DataSettings>,
    budget: true satisfies SameShape<z.output<typeof budgetSchema>, BudgetSettings>,
    policy: true satisfies SameShape<z.output<typeof policySchema>, PolicySettings>,
    build: true satisfies SameShape<z.output<typeof buildSchema>, BuildSettings>,
    replicas: true satisfies SameShape<z.output<typeof appSchema>["replicas"], ReplicaRange>,
    hpa: true satisfies SameShape<z.output<typeof appSchema>["hpa"], HpaTargets>,
    vpa: true satisfies SameShape<z.output<typeof appSchema>["vpa"], VpaMode>,
} as const;
