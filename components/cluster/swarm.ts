/**
 * The `swarm` target: an existing Docker Swarm reached through a manager's Engine API.
 * Nothing is provisioned; the component states where images go and how traffic gets in.
 */
import * as pulumi from "@pulumi/pulumi";
import { localRepository } from "./local";
import type { SwarmPlatform } from "./platform";
import type { SwarmSettings } from "../../model/targets";

/** Arguments of {@link SwarmCluster}. */
export interface SwarmClusterArgs {
    readonly target: SwarmSettings;
    /** Every image the stack builds (the proxy's too, when it routes through it), for one repository each. */
    readonly imageNames: readonly string[];
}

/** An existing swarm behind the platform seam. */
export class SwarmCluster extends pulumi.ComponentResource {
    public readonly platform: SwarmPlatform;

    constructor(name: string, args: SwarmClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:SwarmCluster", name, {}, opts);
        const repositories: Record<string, string> = {};
        for (const image of args.imageNames) repositories[image] = localRepository(args.target.registry, image);
        this.platform = {
            kind: "swarm",
            cloud: "swarm",
            engineHost: args.target.host,
            clusterName: pulumi.output(args.target.host),
            // Anonymous pushes and pulls: every node must reach this registry (see docs/swarm.md).
            registry: { url: args.target.registry, repositories },
            publicAddress: args.target.publicAddress,
            publishedPortBase: args.target.publishedPortBase,
        };
        this.registerOutputs({ clusterName: this.platform.clusterName });
    }
}
