/** `platform:data`: Redis and PostgreSQL sizing, or an external PostgreSQL the stack only connects to. */
import { z } from "zod";
import { cpuQuantity, dnsLabel, intInRange, memoryQuantity } from "./rules";

const externalPostgresSchema = z.strictObject({
    host: z.string({ error: "must be a host name or IP address" }).min(1),
    port: intInRange(1, 65535).default(5432),
    database: z.string().min(1).default("app"),
    user: z.string().min(1).default("app"),
    sslMode: z.enum(["disable", "require", "verify-full"], { error: "must be one of disable, require, verify-full" }).default("require"),
});

/**
 * In-platform sizes apply where the data services run inside the platform (local, swarm);
 * the cloud blocks size their managed services.
 */
export const dataSchema = z.strictObject({
    redis: z
        .strictObject({
            storage: memoryQuantity().default("1Gi"),
            cpu: cpuQuantity().default("100m"),
            memory: memoryQuantity().default("128Mi"),
        })
        .prefault({}),
    postgres: z
        .strictObject({
            storage: memoryQuantity().default("2Gi"),
            cpu: cpuQuantity().default("250m"),
            memory: memoryQuantity().default("256Mi"),
            database: dnsLabel().default("app"),
            /**
             * Connect to an existing PostgreSQL instead of creating one; needs the secret
             * `platform:postgresPassword`.
             */
            external: externalPostgresSchema.optional(),
        })
        .prefault({}),
});

export type DataSettings = z.output<typeof dataSchema>;
