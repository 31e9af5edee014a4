/**
 * The composition: plan → platform → images → the deployer of the platform's kind. Takes the
 * validated config and returns the flat set of stack outputs every target exports under the
 * same names.
 *
 * Each deployer's module is loaded only for its kind of platform (as the targets in
 * createPlatform): a Kubernetes stack does not load the Swarm components, nor a Swarm stack the
 * Kubernetes SDK submodules (bench/README.md, eval). Types come from type-only imports.
 */
import { createPlatform } from "../components/cluster";
import type { KubernetesPlatform, Platform, SwarmPlatform } from "../components/cluster/platform";
import type { LoadedConfig } from "./config";
import type * as deployKubernetes from "./deployKubernetes";
import type * as deploySwarm from "./deploySwarm";
import { BuiltImages, buildImages } from "./images";
import type { StackOutputs } from "./outputs";
import { assertPlatformFitsPlan, planStack, StackPlan } from "./plan";

export type { StackOutputs } from "./outputs";

/** The platform types, by the kind that selects their deployer. */
interface PlatformByKind {
    readonly kubernetes: KubernetesPlatform;
    readonly swarm: SwarmPlatform;
}

/** A deployer: puts the app stack on one kind of platform as the plan says. */
export type Deployer<P extends Platform> = (plan: StackPlan, platform: P, images: BuiltImages, loaded: LoadedConfig) => StackOutputs;

/** One deployer per platform kind; a new kind of platform is one more entry (and one more file beside these). */
/* eslint-disable @typescript-eslint/no-require-imports -- synchronous, on-demand loading of one deployer (see above) */
export const deployers: { readonly [K in keyof PlatformByKind]: Deployer<PlatformByKind[K]> } = {
    kubernetes: (...args) => (require("./deployKubernetes") as typeof deployKubernetes).deployToKubernetes(...args),
    swarm: (...args) => (require("./deploySwarm") as typeof deploySwarm).deployToSwarm(...args),
};
/* eslint-enable @typescript-eslint/no-require-imports */

function deploy<K extends keyof PlatformByKind>(
    kind: K,
    plan: StackPlan,
    platform: PlatformByKind[K],
    images: BuiltImages,
    loaded: LoadedConfig,
): StackOutputs {
    const deployer: Deployer<PlatformByKind[K]> = deployers[kind];
    return deployer(plan, platform, images, loaded);
}

/** Builds the stack for the validated config. */
export function buildStack(loaded: LoadedConfig): StackOutputs {
    const { config } = loaded;
    const plan = planStack(config);
    const platform = createPlatform({
        config,
        localKubeconfig: loaded.localKubeconfig,
        imageNames: plan.images.map((image) => image.name),
        verticalRecommendations: plan.verticalRecommendations,
    });
    assertPlatformFitsPlan(plan, platform);
    const images = buildImages(plan, platform, config.build);
    return deploy(platform.kind, plan, platform, images, loaded);
}
