/**
 * The Swarm deployer: the overlay networks, the data services the plan runs on the swarm, the
 * app's services and the way in (the routing mesh, or the built-in proxy when the plan builds it).
 */
import { SwarmApp } from "../components/app/swarm/app";
import { SwarmData, SwarmPostgresEndpoint } from "../components/app/swarm/data";
import { SwarmNetworks } from "../components/app/swarm/networks";
import type { SwarmPlatform } from "../components/cluster/platform";
import type { LoadedConfig } from "./config";
import { externalPostgres } from "./externalData";
import type { BuiltImages } from "./images";
import { StackOutputs, stackOutputs } from "./outputs";
import type { StackPlan } from "./plan";

/** Deploys the app stack onto the swarm platform as the plan says, and returns the stack outputs. */
export function deployToSwarm(plan: StackPlan, platform: SwarmPlatform, images: BuiltImages, loaded: LoadedConfig): StackOutputs {
    const { config } = loaded;
    if (config.cloud !== "swarm") throw new Error(`deployToSwarm: stack ${config.stack} targets ${config.cloud}`);
    const target = config.target;
    const engineHost = platform.engineHost;
    const namespace = config.app.namespace;
    const networks = new SwarmNetworks("swarm-networks", { engineHost, namespace });

    const kinds = plan.inPlatformData;
    const data =
        kinds.length === 0
            ? undefined
            : new SwarmData("data", {
                  engineHost,
                  namespace,
                  kinds,
                  images: images.data,
                  network: networks.data,
                  sizing: { redis: config.data.redis, postgres: config.data.postgres },
                  database: config.data.postgres.database,
                  constraint: target.dataConstraint,
                  convergeTimeoutSeconds: target.convergeTimeoutSeconds,
              });
    const postgres: SwarmPostgresEndpoint | undefined = plan.data.postgres === "external" ? externalPostgres(loaded) : data?.postgres;
    // The plan builds the proxy's image exactly when the target routes through it.
    const routing =
        images.proxy !== undefined
            ? { kind: "proxy" as const, image: images.proxy, constraint: target.dataConstraint }
            : { kind: "mesh" as const };
    const app = new SwarmApp("app", {
        engineHost,
        app: config.app,
        images: images.services,
        networks: { frontend: networks.frontend, data: networks.data },
        data: { redis: data?.redis, postgres },
        routing,
        publicAddress: platform.publicAddress,
        publishedPortBase: platform.publishedPortBase,
        convergeTimeoutSeconds: target.convergeTimeoutSeconds,
        dependsOn: data?.services ?? [],
    });
    // A swarm has no kubeconfig: the output keeps its name (empty, secret) like every target's.
    return stackOutputs(plan, {
        urls: app.urls,
        clusterName: platform.clusterName,
        registryUrl: platform.registry.url,
        images: images.services,
    });
}
