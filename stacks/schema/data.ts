/** `platform:data`: Redis and PostgreSQL sizing, or an external PostgreSQL the stack only connects to. */
import { z } from "zod";
import { cpuQuantity, hostAddress, intInRange, memoryQuantity } from "./rules";

const externalPostgresSchema = z.strictObject({
    host: hostAddress().describe("Host of the existing PostgreSQL."),
    port: intInRange(1, 65535).default(5432).describe("Port of the existing PostgreSQL."),
    database: z
        .string({ error: "must be a database name (1 to 63 characters, no spaces or control characters)" })
        .regex(/^[^\s\p{Cc}"]{1,63}$/u, { error: "must be a database name (1 to 63 characters, no spaces or control characters)" })
        .default("app")
        .describe("Database the app uses."),
    user: z
        .string({ error: "must be a user name (1 to 63 characters, no spaces or control characters)" })
        .regex(/^[^\s\p{Cc}"]{1,63}$/u, { error: "must be a user name (1 to 63 characters, no spaces or control characters)" })
        .default("app")
        .describe("User the app logs in as; its password is the secret platform:postgresPassword."),
    sslMode: z
        .enum(["disable", "require", "verify-full"], { error: "must be one of disable, require, verify-full" })
        .default("require")
        .describe("TLS mode of the connection (PGSSLMODE)."),
});

/**
 * In-platform sizes apply where the data services run inside the platform (local, swarm);
 * the cloud blocks size their managed services.
 */
export const dataSchema = z.strictObject({
    redis: z
        .strictObject({
            storage: memoryQuantity()
                .default("1Gi")
                .describe(
                    "Volume size of in-platform Redis (append-only file). Fixed once created: Kubernetes refuses to change a StatefulSet's volume claim template, and the preview says so.",
                ),
            cpu: cpuQuantity().default("100m").describe("CPU request and limit of in-platform Redis."),
            memory: memoryQuantity().default("128Mi").describe("Memory request and limit of in-platform Redis."),
        })
        .prefault({}),
    postgres: z
        .strictObject({
            storage: memoryQuantity().default("2Gi").describe("Volume size of in-platform PostgreSQL. Fixed once created, as for Redis."),
            cpu: cpuQuantity().default("250m").describe("CPU request and limit of in-platform PostgreSQL."),
            memory: memoryQuantity().default("256Mi").describe("Memory request and limit of in-platform PostgreSQL."),
            database: z
                .string({ error: "must be a PostgreSQL identifier (a-z, 0-9 and _, starting with a letter, at most 63 characters)" })
                .regex(/^[a-z][a-z0-9_]{0,62}$/, {
                    error: "must be a PostgreSQL identifier (a-z, 0-9 and _, starting with a letter, at most 63 characters)",
                })
                .default("app")
                .describe("Database created for the app (in-platform PostgreSQL; RDS and Flexible Server use it too)."),
            external: externalPostgresSchema
                .optional()
                .describe("Connect to an existing PostgreSQL instead of creating one; needs the secret platform:postgresPassword."),
        })
        .prefault({}),
});
