/**
 * The one switch from `cloud` to a {@link Platform}. Cloud SDKs are imported only below this
 * point; everything after it works on the Platform types.
 */
import * as pulumi from "@pulumi/pulumi";
import { AwsCluster } from "./aws";
import { AzureCluster } from "./azure";
import { LocalCluster } from "./local";
import { assertNever, Platform } from "./platform";
import { SwarmCluster } from "./swarm";
import type { StackConfig } from "../../model/stack";

/** What the switch needs besides the validated config. */
export interface PlatformInputs {
    readonly config: StackConfig;
    /** Kubeconfig content for the local target (secret), read at the config edge. */
    readonly localKubeconfig?: pulumi.Output<string>;
    /** Every image name the stack builds (services and in-platform data), for one repository each. */
    readonly imageNames: readonly string[];
}

/** Whether any service publishes vertical recommendations (app.vpa, or its own vpa, is not off). */
export function wantsVpa(config: StackConfig): boolean {
    return config.app.services.some((service) => service.vpa !== "off");
}

/** Creates the platform the stack's `cloud` selects. */
export function createPlatform(inputs: PlatformInputs): Platform {
    const { config } = inputs;
    switch (config.cloud) {
        case "local": {
            if (inputs.localKubeconfig === undefined)
                throw new Error("createPlatform: the local target needs the kubeconfig read at the config edge");
            return new LocalCluster("local", { target: config.target, kubeconfig: inputs.localKubeconfig, serviceNames: inputs.imageNames })
                .platform;
        }
        case "aws":
            return new AwsCluster("aws", {
                settings: config.target,
                stack: config.stack,
                allowedSourceRanges: config.app.allowedSourceRanges,
                database: config.data.postgres.database,
                imageNames: inputs.imageNames,
                vpa: wantsVpa(config),
            }).platform;
        case "swarm":
            return new SwarmCluster("swarm", { target: config.target, imageNames: inputs.imageNames }).platform;
        case "azure":
            return new AzureCluster("azure", {
                target: config.target,
                stack: config.stack,
                allowedSourceRanges: config.app.allowedSourceRanges,
                imageNames: inputs.imageNames,
                database: config.data.postgres.database,
                vpa: wantsVpa(config),
            }).platform;
        default:
            return assertNever(config);
    }
}
