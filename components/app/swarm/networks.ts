/**
 * The stack's encrypted overlay networks: `frontend` for the app services (and the built-in
 * proxy), `data` for app ↔ Redis/PostgreSQL. Data services join only `data`, so only services
 * on that network reach them: the Swarm counterpart of the Kubernetes NetworkPolicies.
 */
import * as pulumi from "@pulumi/pulumi";
import { SwarmNetwork } from "./resources/network";
import { stackLabels, swarmName } from "./specs";

/** Arguments of {@link SwarmNetworks}. */
export interface SwarmNetworksArgs {
    readonly engineHost: string;
    readonly namespace: string;
}

/** The frontend and data overlay networks. */
export class SwarmNetworks extends pulumi.ComponentResource {
    /** Id of the frontend network. */
    public readonly frontend: pulumi.Output<string>;
    /** Id of the data network. */
    public readonly data: pulumi.Output<string>;

    constructor(name: string, args: SwarmNetworksArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:app:SwarmNetworks", name, {}, opts);
        const network = (role: string) =>
            new SwarmNetwork(
                `${name}-${role}`,
                {
                    engineHost: args.engineHost,
                    name: swarmName(args.namespace, role),
                    encrypted: true,
                    labels: stackLabels(args.namespace, "network"),
                },
                { parent: this },
            ).networkId;
        this.frontend = network("frontend");
        this.data = network("data");
        this.registerOutputs({ frontend: this.frontend, data: this.data });
    }
}
