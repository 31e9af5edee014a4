/**
 * The target-neutral app stack: which services run, how they scale, what data they need.
 * Nothing here says how a target runs it (that is the renderers' job).
 */
import { z } from "zod";
import { cpuMillicores, cpuQuantity, dnsLabel, flag, intInRange, memoryBytes, memoryQuantity, oneOf } from "./rules";

const replicasSchema = z
    .strictObject({
        /** Fewest replicas the autoscaler keeps. Default 2. */
        min: intInRange(1, 100).default(2),
        /** Most replicas the autoscaler may add. Default 4. */
        max: intInRange(1, 100).default(4),
    })
    .check((ctx) => {
        if (ctx.value.max < ctx.value.min) {
            ctx.issues.push({
                code: "custom",
                path: ["max"],
                input: ctx.value.max,
                message: `must be an integer from 1 to 100 and >= replicas.min (${ctx.value.min})`,
            });
        }
    });

const cpuSchema = z
    .strictObject({
        request: cpuQuantity().default("100m"),
        limit: cpuQuantity().default("500m"),
    })
    .check((ctx) => {
        if (cpuMillicores(ctx.value.limit) < cpuMillicores(ctx.value.request)) {
            ctx.issues.push({
                code: "custom",
                path: ["limit"],
                input: ctx.value.limit,
                message: `must be >= cpu.request (${ctx.value.request})`,
            });
        }
    });

const memorySchema = z
    .strictObject({
        request: memoryQuantity().default("128Mi"),
        limit: memoryQuantity().default("256Mi"),
    })
    .check((ctx) => {
        if (memoryBytes(ctx.value.limit) < memoryBytes(ctx.value.request)) {
            ctx.issues.push({
                code: "custom",
                path: ["limit"],
                input: ctx.value.limit,
                message: `must be >= memory.request (${ctx.value.request})`,
            });
        }
    });

const hpaSchema = z.strictObject({
    /** Average CPU utilisation (percent of request) the HPA aims for. Default 70. */
    cpuUtilization: intInRange(10, 100).default(70),
    /** Average memory utilisation (percent of request) the HPA aims for. Default 80. */
    memoryUtilization: intInRange(10, 100).default(80),
});

/** Scaling shared by every service unless a service overrides it. */
const scalingShape = {
    replicas: replicasSchema.prefault({}),
    cpu: cpuSchema.prefault({}),
    memory: memorySchema.prefault({}),
    hpa: hpaSchema.prefault({}),
};

/** `platform:app`: the namespace and the scaling every service gets by default. */
export const appSchema = z.strictObject({
    namespace: dnsLabel().default("app"),
    ...scalingShape,
    /** How long the sample service caches a read in Redis. Default 60 s. */
    cacheTtlSeconds: intInRange(1, 86400).default(60),
    /**
     * Source CIDRs allowed through a cloud load balancer. Empty (default) keeps the load
     * balancer internal to the network; "0.0.0.0/0" opens it to the world (the policy pack
     * flags that unless the stack waives the rule).
     */
    allowedSourceRanges: z.array(z.string()).default([]),
});

export const DATA_SERVICES = ["redis", "postgres"] as const;

const serviceSchema = z.strictObject({
    name: dnsLabel(40),
    /** Docker build context, relative to the project folder. Default "app" (the sample service). */
    context: z.string({ error: "must be a folder path relative to the project" }).min(1).default("app"),
    dockerfile: z.string({ error: "must be a file path relative to the build context" }).min(1).default("Dockerfile"),
    containerPort: intInRange(1024, 65535).default(8080),
    needs: z.array(oneOf(DATA_SERVICES)).default(["redis", "postgres"]),
    /** Whether the service gets the target's way in (load balancer, node port). Default true. */
    public: flag().default(true),
    healthPath: z.string().regex(/^\//, { error: 'must be an HTTP path starting with "/"' }).default("/healthz"),
    readyPath: z.string().regex(/^\//, { error: 'must be an HTTP path starting with "/"' }).default("/readyz"),
    replicas: replicasSchema.optional(),
    cpu: cpuSchema.optional(),
    memory: memorySchema.optional(),
    hpa: hpaSchema.optional(),
});

/** `platform:services`: the services of the app stack. Default: the sample service "web". */
export const servicesSchema = z
    .array(serviceSchema)
    .min(1, { error: "must list at least one service" })
    .max(1000, { error: "must list at most 1000 services" })
    .check((ctx) => {
        const seen = new Set<string>();
        ctx.value.forEach((service, index) => {
            if (seen.has(service.name)) {
                ctx.issues.push({
                    code: "custom",
                    path: [index, "name"],
                    input: service.name,
                    message: "must be unique among services",
                });
            }
            seen.add(service.name);
        });
    })
    .default([{ name: "web", context: "app", dockerfile: "Dockerfile", containerPort: 8080, needs: ["redis", "postgres"], public: true, healthPath: "/healthz", readyPath: "/readyz" }]);

/** `platform:build`: how images are built. */
export const buildSchema = z.strictObject({
    /**
     * Base image passed to every Dockerfile as the NODE_IMAGE build argument. Default the public
     * "node:20-bookworm-slim"; the embedded local platform passes a locally made base.
     */
    baseImage: z.string().min(1).default("node:20-bookworm-slim"),
    /**
     * Base image of the in-platform Redis and PostgreSQL images (DEBIAN_IMAGE build argument).
     * Default the public "debian:bookworm-slim".
     */
    debianImage: z.string().min(1).default("debian:bookworm-slim"),
    /** Docker engine that builds images ("unix://…" or "tcp://…"); empty uses DOCKER_HOST or the default socket. Default "". */
    dockerHost: z.string().regex(/^$|^(unix|tcp|ssh):\/\/.+/, { error: 'must be empty or a Docker endpoint such as "unix:///var/run/docker.sock"' }).default(""),
    /**
     * Network of RUN steps: "default" (the engine's sandbox) or "host" (an engine without a
     * bridge, such as the embedded platform's, reaches package registries only this way).
     * Default "default".
     */
    network: oneOf(["default", "host"]).default("default"),
    /** Target platform of the image. Default linux/amd64, what the cloud node pools run. */
    platform: oneOf(["linux/amd64", "linux/arm64"]).default("linux/amd64"),
});

export type AppSettings = z.output<typeof appSchema>;
export type ServiceSettings = z.output<typeof serviceSchema>;
export type BuildSettings = z.output<typeof buildSchema>;
