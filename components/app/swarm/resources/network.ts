/**
 * A swarm overlay network (its provider: ../providers/network.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { EngineResource } from "./engineResource";

/** Arguments of {@link SwarmNetwork}. */
export interface SwarmNetworkArgs {
    /** Docker endpoint of a manager. */
    readonly engineHost: string;
    /** Network name (swarm-wide). */
    readonly name: string;
    /** Encrypt traffic between nodes (IPsec). Default true. */
    readonly encrypted?: boolean;
    readonly labels: Readonly<Record<string, string>>;
}

/** An overlay network of the swarm. */
export class SwarmNetwork extends EngineResource {
    /** The engine's network id. */
    declare public readonly networkId: pulumi.Output<string>;

    constructor(name: string, args: SwarmNetworkArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            "network",
            "SwarmNetwork",
            name,
            {
                engineHost: args.engineHost,
                name: args.name,
                encrypted: args.encrypted ?? true,
                labels: { ...args.labels },
                networkId: undefined,
            },
            opts,
        );
    }
}
