/** The stack outputs every target exports under the same names, and the one way to make them. */
import * as pulumi from "@pulumi/pulumi";
import type { StackPlan } from "./plan";

/** The stack outputs: the same names on every target. */
export interface StackOutputs {
    readonly cloud: string;
    /** URL of the first public service. */
    readonly appUrl: pulumi.Output<string>;
    /** URL of every public service, by name. */
    readonly appUrls: pulumi.Output<Record<string, string>>;
    readonly clusterName: pulumi.Output<string>;
    readonly registryUrl: pulumi.Output<string>;
    /** Secret; empty on targets that have no kubeconfig (swarm). */
    readonly kubeconfig: pulumi.Output<string>;
    /** Digest-pinned image of each service. */
    readonly images: pulumi.Output<Record<string, string>>;
}

/** What a deployed target knows, from which {@link stackOutputs} makes the outputs. */
export interface DeployedFacts {
    /** URL of each public service, by name. */
    readonly urls: Readonly<Record<string, pulumi.Output<string>>>;
    readonly clusterName: pulumi.Output<string>;
    readonly registryUrl: pulumi.Input<string>;
    /** The kubeconfig (secret), or undefined where the target has none. */
    readonly kubeconfig?: pulumi.Output<string>;
    readonly images: Readonly<Record<string, pulumi.Output<string>>>;
}

/** The outputs of a deployed stack; `appUrl` is the plan's first public service's URL ("" when none is public). */
export function stackOutputs(plan: Pick<StackPlan, "cloud" | "publicServices">, facts: DeployedFacts): StackOutputs {
    const firstPublic = plan.publicServices[0];
    const firstUrl = firstPublic === undefined ? undefined : facts.urls[firstPublic];
    return {
        cloud: plan.cloud,
        appUrl: firstUrl ?? pulumi.output(""),
        appUrls: pulumi.all(facts.urls),
        clusterName: facts.clusterName,
        registryUrl: pulumi.output(facts.registryUrl),
        kubeconfig: facts.kubeconfig ?? pulumi.secret(""),
        images: pulumi.all(facts.images),
    };
}
