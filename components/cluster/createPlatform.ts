/**
 * The one switch from `cloud` to a {@link Platform}. Cloud SDKs are imported only below this
 * point; everything after it works on the Platform types. A new target is one more case here.
 *
 * Each target's module is loaded only when the stack selects it: the AWS and Azure components
 * and their SDK submodules take ~100 ms to load, which a local or Swarm stack would pay for
 * nothing on every preview (bench/README.md, eval). Types come from type-only imports.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as aws from "./aws";
import type * as azure from "./azure";
import type * as local from "./local";
import { assertNever, Platform } from "./platform";
import type * as swarm from "./swarm";
import type { StackConfig } from "../../model/stack";

/* eslint-disable @typescript-eslint/no-require-imports -- synchronous, on-demand loading of one target (see above) */
const load = {
    aws: () => require("./aws") as typeof aws,
    azure: () => require("./azure") as typeof azure,
    local: () => require("./local") as typeof local,
    swarm: () => require("./swarm") as typeof swarm,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** What the switch needs besides the validated config. */
export interface PlatformInputs {
    readonly config: StackConfig;
    /** Kubeconfig content for the local target (secret), read at the config edge. */
    readonly localKubeconfig?: pulumi.Output<string>;
    /**
     * Every image name the stack builds (the plan's: services, in-platform data, the Swarm proxy),
     * for one repository each; the platform adds none of its own.
     */
    readonly imageNames: readonly string[];
    /** Whether the stack renders VerticalPodAutoscalers, so the platform must serve their API. */
    readonly verticalRecommendations: boolean;
}

/** Creates the platform the stack's `cloud` selects. */
export function createPlatform(inputs: PlatformInputs): Platform {
    const { config } = inputs;
    switch (config.cloud) {
        case "local": {
            if (inputs.localKubeconfig === undefined)
                throw new Error("createPlatform: the local target needs the kubeconfig read at the config edge");
            return new (load.local().LocalCluster)("local", {
                target: config.target,
                kubeconfig: inputs.localKubeconfig,
                serviceNames: inputs.imageNames,
            }).platform;
        }
        case "aws":
            return new (load.aws().AwsCluster)("aws", {
                settings: config.target,
                stack: config.stack,
                allowedSourceRanges: config.app.allowedSourceRanges,
                database: config.data.postgres.database,
                imageNames: inputs.imageNames,
                vpa: inputs.verticalRecommendations,
            }).platform;
        case "swarm":
            return new (load.swarm().SwarmCluster)("swarm", { target: config.target, imageNames: inputs.imageNames }).platform;
        case "azure":
            return new (load.azure().AzureCluster)("azure", {
                target: config.target,
                stack: config.stack,
                allowedSourceRanges: config.app.allowedSourceRanges,
                imageNames: inputs.imageNames,
                database: config.data.postgres.database,
                vpa: inputs.verticalRecommendations,
            }).platform;
        default:
            return assertNever(config);
    }
}
