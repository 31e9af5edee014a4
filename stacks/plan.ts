/**
 * What the stack contains, decided once from the validated config before anything is created:
 * the images to build, where each data service lives, which services are public, and which
 * kind of platform deploys them. Pure: no Pulumi, no resources; the composition
 * (stacks/buildStack.ts) and the deployers (stacks/deployKubernetes.ts, stacks/deploySwarm.ts)
 * only read it; {@link assertPlatformFitsPlan} checks the platform, once created, against it.
 */
import * as path from "path";
import { DATA_KINDS, type DataKind } from "../model/names";
import type { StackConfig } from "../model/stack";
import type { Cloud } from "../model/targets";
import type { Platform } from "../components/cluster/platform";

/**
 * Where a data service lives: `platform` runs it beside the app (local, swarm), `managed` is the
 * cloud's service that the platform provisions (aws, azure), `external` is one the stack only
 * connects to (`platform:data.postgres.external`).
 */
export type DataLocation = "platform" | "managed" | "external";

/** The kind of platform a cloud gives, and so the deployer that takes the plan. */
export type PlatformKind = "kubernetes" | "swarm";

/** What an image is built for. */
export type ImageRole =
    | { readonly kind: "service"; readonly service: string }
    | { readonly kind: "data"; readonly data: DataKind }
    | { readonly kind: "proxy" };

/** One image the stack builds and pushes to the platform's registry (one repository each). */
export interface ImageBuild {
    /** Image (and repository) name; unique in the stack. */
    readonly name: string;
    readonly role: ImageRole;
    /** Absolute build context. */
    readonly contextDir: string;
    /** Dockerfile, relative to the context. */
    readonly dockerfile: string;
    /** Build arguments: the base image the Dockerfile starts from. */
    readonly buildArgs: Readonly<Record<string, string>>;
}

/** The stack's plan: every decision the composition and the deployers act on. */
export interface StackPlan {
    readonly cloud: Cloud;
    /** Which deployer takes the plan: Kubernetes for local, aws and azure; Swarm for swarm. */
    readonly platformKind: PlatformKind;
    /** Every image, in build order: the services', then the in-platform data, then the Swarm proxy (routing "proxy"). */
    readonly images: readonly ImageBuild[];
    /** Where each data service lives, whether or not a service needs it (managed data is provisioned either way). */
    readonly data: Readonly<Record<DataKind, DataLocation>>;
    /** The data services the platform runs for the app: needed by a service and located in the platform. */
    readonly inPlatformData: readonly DataKind[];
    /** Names of the public services, in config order; the first one's URL is the stack's `appUrl`. */
    readonly publicServices: readonly string[];
    /**
     * Whether any service publishes vertical recommendations (its `vpa` is not off): the platform
     * then provides the VPA API and a recommender (EKS runs one, AKS enables its managed VPA).
     */
    readonly verticalRecommendations: boolean;
}

/** Image name of an in-platform data service (prefixed so it never clashes with a service name). */
export function dataImageName(kind: DataKind): string {
    return `platform-${kind}`;
}

/** Image name of the Swarm target's built-in TCP proxy (routing "proxy"); prefixed like the data images. */
export const SWARM_PROXY_IMAGE = "platform-swarm-proxy";

/** The project root (this runs from the compiled bin/stacks folder). */
const PROJECT_ROOT = path.join(__dirname, "..", "..");

/** Whether the cloud provisions its managed Redis and PostgreSQL (aws, azure) or the platform runs them. */
function cloudManagesData(cloud: Cloud): boolean {
    switch (cloud) {
        case "aws":
        case "azure":
            return true;
        case "local":
        case "swarm":
            return false;
    }
}

/** Where each data service lives for this config. */
function dataLocations(config: StackConfig): Record<DataKind, DataLocation> {
    if (cloudManagesData(config.cloud)) return { redis: "managed", postgres: "managed" };
    return { redis: "platform", postgres: config.data.postgres.external ? "external" : "platform" };
}

/** Decides, once, what the stack contains. Pure: the same config always gives the same plan. */
export function planStack(config: StackConfig): StackPlan {
    const platformKind: PlatformKind = config.cloud === "swarm" ? "swarm" : "kubernetes";
    const data = dataLocations(config);
    const needed = (kind: DataKind) => config.app.services.some((s) => s.needs[kind]);
    const inPlatformData = DATA_KINDS.filter((kind) => data[kind] === "platform" && needed(kind));
    const images: ImageBuild[] = config.app.services.map((s) => ({
        name: s.name,
        role: { kind: "service", service: s.name },
        contextDir: s.contextDir,
        dockerfile: s.dockerfile,
        buildArgs: { NODE_IMAGE: config.build.baseImage },
    }));
    for (const kind of inPlatformData) {
        images.push({
            name: dataImageName(kind),
            role: { kind: "data", data: kind },
            contextDir: path.join(PROJECT_ROOT, "images", kind),
            dockerfile: "Dockerfile",
            buildArgs: { DEBIAN_IMAGE: config.build.debianImage },
        });
    }
    if (config.cloud === "swarm" && config.target.routing === "proxy") {
        images.push({
            name: SWARM_PROXY_IMAGE,
            role: { kind: "proxy" },
            contextDir: path.join(PROJECT_ROOT, "components", "app", "swarm", "proxy"),
            dockerfile: "Dockerfile",
            buildArgs: { NODE_IMAGE: config.build.baseImage },
        });
    }
    return {
        cloud: config.cloud,
        platformKind,
        images,
        data,
        inPlatformData,
        publicServices: config.app.services.filter((s) => s.public).map((s) => s.name),
        verticalRecommendations: config.app.services.some((s) => s.vpa !== "off"),
    };
}

/** A data location as the errors below say it. */
const PLACES: Readonly<Record<DataLocation, string>> = {
    platform: "in the platform",
    managed: "in the cloud's managed services",
    external: "outside the stack (external)",
};

/** What {@link assertPlatformFitsPlan} reads of a platform: its kind and cloud, and whether it brings managed data. */
export type PlatformDataFacts =
    | Pick<Extract<Platform, { kind: "kubernetes" }>, "kind" | "cloud" | "managedData">
    | Pick<Extract<Platform, { kind: "swarm" }>, "kind" | "cloud">;

/**
 * Throws when the platform's managed data disagrees with the plan: the plan and the platform
 * switch both follow from `cloud`, so a disagreement is a programming error (a new target whose
 * case in createPlatform and in the plan were written apart), never a config problem.
 */
export function assertPlatformFitsPlan(plan: StackPlan, platform: PlatformDataFacts): void {
    const managedInPlan = DATA_KINDS.filter((kind) => plan.data[kind] === "managed");
    const platformManages = platform.kind === "kubernetes" && platform.managedData !== undefined;
    if (platform.kind !== plan.platformKind)
        throw new Error(
            `the plan deploys cloud ${plan.cloud} with the ${plan.platformKind} deployer, but createPlatform returned a ${platform.kind} platform`,
        );
    if (managedInPlan.length > 0 && !platformManages)
        throw new Error(
            `the plan places ${managedInPlan.join(" and ")} in ${plan.cloud}'s managed services, but the ${platform.cloud} platform provides no managed data`,
        );
    const elsewhere = DATA_KINDS.filter((kind) => plan.data[kind] !== "managed");
    if (platformManages && elsewhere.length > 0)
        throw new Error(
            `the ${platform.cloud} platform provides managed data, but the plan places ${elsewhere.map((kind) => `${kind} ${PLACES[plan.data[kind]]}`).join(" and ")}`,
        );
}
