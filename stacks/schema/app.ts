/**
 * The target-neutral app stack: which services run, how they scale, what data they need.
 * Nothing here says how a target runs it (that is the renderers' job).
 */
import { z } from "zod";
import { VPA_MODES, type VpaMode } from "../../model/app";
import type { BuildCache } from "../../model/images";
import { DATA_KINDS, RESERVED_SERVICE_NAMES, reservedNamespace, SWARM_PROXY_SUFFIX } from "../../model/names";
import {
    clientCidrList,
    cpuQuantity,
    dnsLabel,
    flag,
    httpPath,
    imageReference,
    intInRange,
    isDockerEndpoint,
    memoryQuantity,
    oneOf,
} from "./rules";
import { cpuMillicores, memoryBytes } from "../../model/quantities";

const replicasSchema = z
    .strictObject({
        min: intInRange(1, 100).default(2).describe("Fewest replicas the autoscaler keeps (the count on Swarm, which has no autoscaler)."),
        max: intInRange(1, 100).default(4).describe("Most replicas the autoscaler may run; at least replicas.min."),
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
        request: cpuQuantity()
            .default("100m")
            .describe("CPU each replica is guaranteed (what the scheduler and the HPA's percentage use)."),
        limit: cpuQuantity().default("500m").describe("CPU each replica may burst to; at least cpu.request."),
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
        request: memoryQuantity().default("128Mi").describe("Memory each replica is guaranteed."),
        limit: memoryQuantity().default("256Mi").describe("Memory at which a replica is killed; at least memory.request."),
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

// Defaults for a web service: add capacity at once when load rises (no window; double, or 4 pods,
// each 15 s), give it back slowly (the highest recommendation of the last 5 minutes, at most half
// the pods a minute), so a short lull between bursts does not scale away what the next one needs.
const scaleUpSchema = z.strictObject({
    stabilizationSeconds: intInRange(0, 3600)
        .default(0)
        .describe("Seconds of recommendations the autoscaler looks back over before adding pods; it adds the lowest of them."),
    percent: intInRange(1, 1000)
        .default(100)
        .describe("Pods added per periodSeconds, as a percent of the current count (or `pods`, whichever is more)."),
    pods: intInRange(1, 100).default(4).describe("Pods added per periodSeconds (or `percent`, whichever is more)."),
    periodSeconds: intInRange(1, 1800).default(15).describe("Window over which percent and pods are counted."),
});

const scaleDownSchema = z.strictObject({
    stabilizationSeconds: intInRange(0, 3600)
        .default(300)
        .describe("Seconds of recommendations the autoscaler looks back over before removing pods; it keeps the highest of them."),
    percent: intInRange(1, 100).default(50).describe("At most this percent of the pods removed per periodSeconds."),
    periodSeconds: intInRange(1, 1800).default(60).describe("Window over which percent is counted."),
});

const hpaSchema = z.strictObject({
    cpuUtilization: intInRange(10, 100).default(70).describe("Average CPU use, in percent of the request, the autoscaler aims for."),
    memoryUtilization: intInRange(10, 100).default(80).describe("Average memory use, in percent of the request, the autoscaler aims for."),
    scaleUp: scaleUpSchema.prefault({}).describe("How fast the autoscaler adds pods (HPA behavior.scaleUp)."),
    scaleDown: scaleDownSchema.prefault({}).describe("How fast the autoscaler removes pods (HPA behavior.scaleDown)."),
});

// Modes the upstream VPA knows but that apply its numbers to running pods: with the HPA scaling
// the same pods on CPU and memory the two would fight (one resizes, the other re-counts).
const APPLYING_VPA_MODES = new Set(["auto", "recreate", "initial", "inplaceorrecreate"]);

const vpaModeSchema = z
    .string({ error: `must be one of ${VPA_MODES.join(", ")}` })
    .check((ctx) => {
        if ((VPA_MODES as readonly string[]).includes(ctx.value)) return;
        const applying = APPLYING_VPA_MODES.has(ctx.value.toLowerCase());
        ctx.issues.push({
            code: "custom",
            input: ctx.value,
            message: applying
                ? `must be off or recommend: a VPA that applies its numbers (${ctx.value}) fights the HorizontalPodAutoscaler, which scales the same pods on CPU and memory; use recommend and copy the recommendation into cpu/memory requests`
                : `must be one of ${VPA_MODES.join(", ")}`,
        });
    })
    .transform((value) => value as VpaMode);

const vpaSchema = vpaModeSchema
    .default("recommend")
    .describe(
        'VerticalPodAutoscaler per service: recommend publishes right-sized CPU and memory requests without touching pods (updateMode "Off"); off creates none. auto is refused: it would fight the HPA on the same resources.',
    );

/** Scaling shared by every service unless a service overrides it. */
const scalingShape = {
    replicas: replicasSchema.prefault({}),
    cpu: cpuSchema.prefault({}),
    memory: memorySchema.prefault({}),
    hpa: hpaSchema.prefault({}),
    vpa: vpaSchema,
};

/** `platform:app`: the namespace and the scaling every service gets by default. */
export const appSchema = z.strictObject({
    namespace: dnsLabel()
        .check((ctx) => {
            const why = reservedNamespace(ctx.value);
            if (why !== undefined)
                ctx.issues.push({
                    code: "custom",
                    input: ctx.value,
                    message: `is reserved: it ${why}; the stack gives its namespace default-deny policies and restricted Pod Security. Pick a namespace of its own, such as "app"`,
                });
        })
        .default("app")
        .describe(
            "Kubernetes namespace of the app stack (restricted Pod Security, default-deny networking); not default or a kube-* namespace, which are shared.",
        ),
    ...scalingShape,
    cacheTtlSeconds: intInRange(1, 86400).default(60).describe("Seconds the sample service keeps a read in Redis (CACHE_TTL_SECONDS)."),
    allowedSourceRanges: clientCidrList({ key: "platform:app.allowedSourceRanges", what: "the app's load balancer" })
        .default([])
        .describe(
            'CIDRs allowed through a cloud load balancer (not documentation blocks, which the committed stack files hold as placeholders). Empty keeps the load balancer internal to the network; "0.0.0.0/0" opens it to the world (the policy pack flags that unless waived).',
        ),
});

export const DATA_SERVICES = DATA_KINDS;

const serviceSchema = z.strictObject({
    name: dnsLabel(40)
        .check((ctx) => {
            const owner = Object.prototype.hasOwnProperty.call(RESERVED_SERVICE_NAMES, ctx.value)
                ? RESERVED_SERVICE_NAMES[ctx.value]
                : undefined;
            if (owner !== undefined)
                ctx.issues.push({
                    code: "custom",
                    input: ctx.value,
                    message: `is reserved: its objects would collide with ${owner}; rename the service`,
                });
        })
        .describe(
            "Service name: Deployment, Service, image repository and DNS name; not redis, postgres, default-deny or allow-dns (the program's own objects), nor <public service>-proxy.",
        ),
    context: z
        .string({ error: "must be a folder path relative to the project" })
        .min(1, { error: "must be a folder path relative to the project" })
        .default("app")
        .describe("Docker build context, relative to the project folder."),
    dockerfile: z
        .string({ error: "must be a file path relative to the build context" })
        .min(1, { error: "must be a file path relative to the build context" })
        .default("Dockerfile")
        .describe("Dockerfile, relative to the build context."),
    containerPort: intInRange(1024, 65535)
        .default(8080)
        .describe("Port the container listens on (PORT); non-privileged, so the service runs as non-root."),
    needs: z
        .array(oneOf(DATA_SERVICES), { error: `must be a list of data services (${DATA_SERVICES.join(", ")})` })
        .default(["redis", "postgres"])
        .describe("Data services the service connects to; its NetworkPolicy allows exactly these."),
    public: flag().default(true).describe("Whether the service gets the target's way in (load balancer, node port, published port)."),
    healthPath: httpPath().default("/healthz").describe("Liveness probe path."),
    readyPath: httpPath().default("/readyz").describe("Readiness probe path."),
    replicas: replicasSchema.optional().describe("Overrides platform:app.replicas for this service."),
    cpu: cpuSchema.optional().describe("Overrides platform:app.cpu for this service."),
    memory: memorySchema.optional().describe("Overrides platform:app.memory for this service."),
    hpa: hpaSchema.optional().describe("Overrides platform:app.hpa for this service."),
    vpa: vpaModeSchema.optional().describe("Overrides platform:app.vpa for this service."),
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
        // On Swarm a public service "x" gets a proxy service "x-proxy": no other service may be named so.
        const proxies = new Set(ctx.value.filter((s) => s.public).map((s) => `${s.name}${SWARM_PROXY_SUFFIX}`));
        ctx.value.forEach((service, index) => {
            if (proxies.has(service.name)) {
                ctx.issues.push({
                    code: "custom",
                    path: [index, "name"],
                    input: service.name,
                    message: `collides with the proxy of public service ${service.name.slice(0, -SWARM_PROXY_SUFFIX.length)} on Swarm; rename the service`,
                });
            }
        });
    })
    .default([
        {
            name: "web",
            context: "app",
            dockerfile: "Dockerfile",
            containerPort: 8080,
            needs: ["redis", "postgres"],
            public: true,
            healthPath: "/healthz",
            readyPath: "/readyz",
        },
    ])
    .describe("The services of the app stack; by default the sample service in app/, named web.");

/** `platform:build`: how images are built. */
export const buildSchema = z.strictObject({
    baseImage: imageReference()
        .default("node:20-bookworm-slim")
        .describe("Base image passed to every service's Dockerfile as NODE_IMAGE; the embedded platform passes a locally made one."),
    debianImage: imageReference()
        .default("debian:bookworm-slim")
        .describe("Base of the in-platform Redis and PostgreSQL images (DEBIAN_IMAGE)."),
    dockerHost: z
        .string({ error: 'must be empty or a Docker endpoint (unix://, tcp://, ssh://) such as "unix:///var/run/docker.sock"' })
        .refine((v) => v === "" || isDockerEndpoint(v, ["unix", "tcp", "ssh"]), {
            error: 'must be empty or a Docker endpoint (unix://, tcp://, ssh://) such as "unix:///var/run/docker.sock"',
        })
        .default("")
        .describe("Docker engine that builds images; empty uses DOCKER_HOST, else the default socket."),
    builder: z
        .string({ error: "must be a buildx builder name or empty" })
        .regex(/^$|^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: "must be a buildx builder name or empty" })
        .default("")
        .describe(
            'buildx builder (docker-container, kubernetes or remote driver) that builds the images; empty lets the provider create its own. The embedded platform registers "platform", its BuildKit daemon.',
        ),
    network: oneOf(["default", "host"])
        .default("default")
        .describe("Network of Dockerfile RUN steps; an engine without a bridge (the embedded platform's) needs host."),
    platform: oneOf(["linux/amd64", "linux/arm64"])
        .default("linux/amd64")
        .describe("Image platform; match the node pools (amd64 unless you run Graviton or Ampere nodes)."),
    cache: oneOf(["registry", "none"] as const satisfies readonly BuildCache[])
        .default("registry")
        .describe(
            "Build cache: registry keeps every layer under <repository>:buildcache next to the image, so a fresh CI runner rebuilds only what changed; none keeps only the builder's own cache (the embedded platform's BuildKit keeps its cache in its state folder, so dev sets none).",
        ),
    buildOnPreview: flag()
        .default(false)
        .describe(
            "Build images during pulumi preview too: a broken Dockerfile fails the PR preview, at the cost of a build per preview. Off, the preview still shows which images change (their tag covers every build input).",
        ),
});

export type AppSettings = z.output<typeof appSchema>;
export type ServiceSettings = z.output<typeof serviceSchema>;
