/**
 * The swarm half of the composition: data images, the overlay networks, Redis and PostgreSQL
 * as swarm services (unless external), the app's services and the way in.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { SwarmApp } from "../components/app/swarm/app";
import { SwarmData, SwarmPostgresEndpoint } from "../components/app/swarm/data";
import { SwarmNetworks } from "../components/app/swarm/networks";
import { SWARM_PROXY_IMAGE } from "../components/cluster/swarm";
import type { SwarmPlatform } from "../components/cluster/platform";
import type { DataKind } from "../components/data/dataSpecs";
import { externalPostgresEndpoint } from "../components/data/external";
import { dataImageName, inPlatformData } from "./dataPlan";
import { StackOutputs, stackOutputs } from "./outputs";
import type { LoadedConfig } from "./config";

type BuildImage = (name: string, contextDir: string, dockerfile: string, buildArgs: Record<string, string>) => pulumi.Output<string>;

/** Deploys the app stack onto the swarm platform and returns the stack outputs. */
export function deployToSwarm(
    loaded: LoadedConfig,
    platform: SwarmPlatform,
    images: Record<string, pulumi.Output<string>>,
    buildImage: BuildImage,
): StackOutputs {
    const { config } = loaded;
    if (config.cloud !== "swarm") throw new Error(`deployToSwarm: stack ${config.stack} targets ${config.cloud}`);
    const target = config.target;
    const engineHost = platform.engineHost;
    const namespace = config.app.namespace;
    const networks = new SwarmNetworks("swarm-networks", { engineHost, namespace });

    const kinds = inPlatformData(config, undefined);
    const dataImages: Partial<Record<DataKind, pulumi.Output<string>>> = {};
    for (const kind of kinds) {
        dataImages[kind] = buildImage(dataImageName(kind), path.join(__dirname, "..", "..", "images", kind), "Dockerfile", {
            DEBIAN_IMAGE: config.build.debianImage,
        });
    }
    const data =
        kinds.length === 0
            ? undefined
            : new SwarmData("data", {
                  engineHost,
                  namespace,
                  kinds,
                  images: dataImages,
                  network: networks.data,
                  sizing: { redis: config.data.redis, postgres: config.data.postgres },
                  database: config.data.postgres.database,
                  constraint: target.dataConstraint,
                  convergeTimeoutSeconds: target.convergeTimeoutSeconds,
              });
    const external = config.data.postgres.external;
    const postgres: SwarmPostgresEndpoint | undefined =
        external && loaded.secrets.postgresPassword ? externalPostgresEndpoint(external, loaded.secrets.postgresPassword) : data?.postgres;
    const routing =
        target.routing === "proxy"
            ? {
                  kind: "proxy" as const,
                  image: buildImage(
                      SWARM_PROXY_IMAGE,
                      path.join(__dirname, "..", "..", "components", "app", "swarm", "proxy"),
                      "Dockerfile",
                      { NODE_IMAGE: config.build.baseImage },
                  ),
                  constraint: target.dataConstraint,
              }
            : { kind: "mesh" as const };
    const app = new SwarmApp("app", {
        engineHost,
        app: config.app,
        images,
        networks: { frontend: networks.frontend, data: networks.data },
        data: { redis: data?.redis, postgres },
        routing,
        publicAddress: platform.publicAddress,
        publishedPortBase: platform.publishedPortBase,
        convergeTimeoutSeconds: target.convergeTimeoutSeconds,
        dependsOn: data?.services ?? [],
    });
    // A swarm has no kubeconfig: the output keeps its name (empty, secret) like every target's.
    return stackOutputs(config, { urls: app.urls, clusterName: platform.clusterName, registryUrl: platform.registry.url, images });
}
