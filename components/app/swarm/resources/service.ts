/**
 * A replicated swarm service (its provider: ../providers/service.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../engine/types";
import { EngineResource } from "./engineResource";

/** Arguments of {@link SwarmService}. */
export interface SwarmServiceArgs {
    readonly engineHost: string;
    /** The full service spec (see ../specs.ts). */
    readonly spec: pulumi.Input<ServiceSpec>;
    /** How long create and update wait for every task to run (and be healthy). Default 300. */
    readonly convergeTimeoutSeconds?: number;
}

/** A replicated swarm service. */
export class SwarmService extends EngineResource {
    /** The engine's service id. */
    declare public readonly serviceId: pulumi.Output<string>;
    /** The engine's version index after the last change. */
    declare public readonly version: pulumi.Output<number>;

    constructor(name: string, args: SwarmServiceArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            "service",
            "SwarmService",
            name,
            {
                engineHost: args.engineHost,
                spec: args.spec,
                convergeTimeoutSeconds: args.convergeTimeoutSeconds ?? 300,
                serviceId: undefined,
                version: undefined,
            },
            opts,
        );
    }
}
