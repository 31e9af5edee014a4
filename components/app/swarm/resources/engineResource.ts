/**
 * Base of the Swarm resources: dynamic resources (type `pulumi-nodejs:dynamic/platform:<type>`, run
 * by Pulumi's dynamic-provider host, as `pulumi.dynamic.Resource` registers them) whose provider is
 * handed over as the module text of ../providers/source.ts rather than serialized from a closure.
 */
import * as pulumi from "@pulumi/pulumi";
import { providerSource, type ProviderKind } from "../providers/source";

/** A Swarm object the Engine API provider `kind` manages. */
export abstract class EngineResource extends pulumi.CustomResource {
    protected constructor(kind: ProviderKind, type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        super(`pulumi-nodejs:dynamic/platform:${type}`, name, { ...props, __provider: providerSource(kind) }, opts);
    }
}
