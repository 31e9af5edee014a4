/**
 * The `swarm` target: an existing Docker Swarm reached through a manager's Engine API.
 * Nothing is provisioned; the component states where images go and how traffic gets in.
 */
import * as pulumi from "@pulumi/pulumi";
import { localRepository } from "./local";
import type { SwarmPlatform } from "./platform";
import type { SwarmSettings } from "../../model/targets";

/** Image name of the built-in proxy (routing "proxy"); prefixed so it never clashes with a service name. */
export const SWARM_PROXY_IMAGE = "platform-swarm-proxy";

/** Arguments of {@link SwarmCluster}. */
export interface SwarmClusterArgs {
    readonly target: SwarmSettings;
    /** Image names of the stack, for one repository each (the proxy's is added when routing is "proxy"). */
    readonly imageNames: readonly string[];
}

/** Every image the swarm target pushes: the stack's, plus the built-in proxy when it routes. */
export function swarmImageNames(target: Pick<SwarmSettings, "routing">, imageNames: readonly string[]): string[] {
    return target.routing === "proxy" ? [...imageNames, SWARM_PROXY_IMAGE] : [...imageNames];
}

/** An existing swarm behind the platform seam. */
export class SwarmCluster extends pulumi.ComponentResource {
    public readonly platform: SwarmPlatform;

    constructor(name: string, args: SwarmClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:SwarmCluster", name, {}, opts);
        const repositories: Record<string, string> = {};
        for (const image of swarmImageNames(args.target, args.imageNames))
            repositories[image] = localRepository(args.target.registry, image);
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
