/**
 * The target-neutral app stack: what runs, never how a target runs it. Pure: no Pulumi, no
 * zod. The parser resolves every service's settings (its own over the app's defaults) into a
 * {@link ServiceSpec}; components of every target consume the same shapes.
 */
import type { BuildCache } from "./images";
import type { ResourceRange } from "./targets";

/** The user and group id the sample service's Dockerfile runs as (`USER 10001:10001`); every target enforces it. */
export const APP_UID = 10001;

/**
 * The port a public service answers on outside the platform: the target's base (a node port or
 * a published port) plus the service's position among the public services.
 */
export function publicPortFor(base: number, publicIndex: number): number {
    return base + publicIndex;
}

/** Replica bounds of a service: the HPA keeps the count between them (Swarm runs `min`). */
export interface ReplicaRange {
    readonly min: number;
    readonly max: number;
}

/** How fast the HPA adds pods: the larger of `percent` and `pods` per `periodSeconds`. */
export interface ScaleUpRate {
    /** Seconds of recommendations looked back over; the lowest wins (0: act at once). */
    readonly stabilizationSeconds: number;
    readonly percent: number;
    readonly pods: number;
    readonly periodSeconds: number;
}

/** How fast the HPA removes pods: at most `percent` of them per `periodSeconds`. */
export interface ScaleDownRate {
    /** Seconds of recommendations looked back over; the highest wins. */
    readonly stabilizationSeconds: number;
    readonly percent: number;
    readonly periodSeconds: number;
}

/** Average utilization (percent of the request) the HPA keeps each resource at, and its pace. */
export interface HpaTargets {
    readonly cpuUtilization: number;
    readonly memoryUtilization: number;
    readonly scaleUp: ScaleUpRate;
    readonly scaleDown: ScaleDownRate;
}

/**
 * Vertical Pod Autoscaler mode of a service: `recommend` creates a VerticalPodAutoscaler with
 * `updateMode: "Off"`, so the recommender publishes right-sized requests without evicting pods
 * (the HPA scales the same pods on CPU and memory; a VPA that also applied its numbers would
 * fight it); `off` creates none.
 */
export type VpaMode = "off" | "recommend";

/** The VPA modes config accepts, in the order the docs list them. */
export const VPA_MODES = ["off", "recommend"] as const satisfies readonly VpaMode[];

/** One service of the app stack with every setting resolved (service overrides over app defaults). */
export interface ServiceSpec {
    readonly name: string;
    /** Absolute path of the build context. */
    readonly contextDir: string;
    /** Dockerfile path, relative to the context. */
    readonly dockerfile: string;
    readonly containerPort: number;
    readonly needs: { readonly redis: boolean; readonly postgres: boolean };
    /** Reachable from outside the platform (a node port, load balancer or published port). */
    readonly public: boolean;
    /** Liveness path: answers while the process is healthy. */
    readonly healthPath: string;
    /** Readiness path: answers while the service can take traffic. */
    readonly readyPath: string;
    readonly replicas: ReplicaRange;
    readonly cpu: ResourceRange;
    readonly memory: ResourceRange;
    readonly hpa: HpaTargets;
    /** Whether a VerticalPodAutoscaler publishes request recommendations for the service. */
    readonly vpa: VpaMode;
}

/** The app stack: its namespace, the services and what every service shares. */
export interface AppSpec {
    readonly namespace: string;
    /** Seconds the cache-aside layer keeps an item in Redis. */
    readonly cacheTtlSeconds: number;
    /** Client ranges allowed to reach public services (empty: anyone). */
    readonly allowedSourceRanges: readonly string[];
    readonly services: readonly ServiceSpec[];
}

/** `platform:build`: how images are built and where they run. */
export interface BuildSettings {
    /** Base image of the app's Dockerfile (the BASE_IMAGE build arg). */
    readonly baseImage: string;
    /** Base image of the in-platform Redis and PostgreSQL images. */
    readonly debianImage: string;
    /** Docker endpoint of the BuildKit builder; empty: the provider's default. */
    readonly dockerHost: string;
    /** Name of a BuildKit builder; empty: the default one. */
    readonly builder: string;
    readonly network: "default" | "host";
    /** Platform the images are built for; matches the nodes' CPU architecture. */
    readonly platform: "linux/amd64" | "linux/arm64";
    readonly cache: BuildCache;
    /** Build on `pulumi preview` too (the digest is then known before up). */
    readonly buildOnPreview: boolean;
}
