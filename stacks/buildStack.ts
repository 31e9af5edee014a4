/**
 * The composition: platform → images → data → app. Takes the validated config and returns
 * the flat set of stack outputs every target exports under the same names.
 */
import * as dockerBuild from "@pulumi/docker-build";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { KubernetesApp } from "../components/app/kubernetes/app";
import { AppNamespace } from "../components/app/kubernetes/namespace";
import { createPlatform } from "../components/cluster";
import type { KubernetesPlatform, Platform, PostgresEndpoint, RedisEndpoint } from "../components/cluster/platform";
import type { DataKind } from "../components/data/dataSpecs";
import { externalPostgresEndpoint } from "../components/data/external";
import { InClusterData } from "../components/data/inCluster";
import { AppImage } from "../components/image/image";
import type { LoadedConfig } from "./config";
import { deployToSwarm } from "./deploySwarm";
import { dataImageName, inPlatformData } from "./dataPlan";
import { StackOutputs, stackOutputs } from "./outputs";
import type { StackConfig } from "../model/stack";

export type { StackOutputs } from "./outputs";

/** Names of every image the stack builds, before the platform exists (it makes one repository each). */
function imageNames(config: StackConfig): string[] {
    const names = config.app.services.map((s) => s.name);
    // Clouds with managed data ignore the data image names; local and swarm build them.
    if (config.cloud === "local" || config.cloud === "swarm") names.push(...inPlatformData(config, undefined).map(dataImageName));
    return names;
}

function repositoryOf(platform: Platform, image: string): pulumi.Input<string> {
    const repository = platform.registry.repositories[image];
    if (repository === undefined) throw new Error(`platform ${platform.cloud} made no repository for image ${image}`);
    return repository;
}

/** Builds the stack for the validated config. */
export function buildStack(loaded: LoadedConfig): StackOutputs {
    const { config } = loaded;
    const platform = createPlatform({ config, localKubeconfig: loaded.localKubeconfig, imageNames: imageNames(config) });
    const builder = new dockerBuild.Provider("image-builder", {
        host: config.build.dockerHost === "" ? undefined : config.build.dockerHost,
    });
    const buildImage = (name: string, contextDir: string, dockerfile: string, buildArgs: Record<string, string>) =>
        new AppImage(name, {
            contextDir,
            dockerfile,
            repository: repositoryOf(platform, name),
            auth: platform.registry.auth,
            buildArgs,
            platform: config.build.platform,
            network: config.build.network,
            builder: config.build.builder === "" ? undefined : config.build.builder,
            cache: config.build.cache,
            buildOnPreview: config.build.buildOnPreview,
            provider: builder,
        }).ref;

    const images: Record<string, pulumi.Output<string>> = {};
    for (const service of config.app.services) {
        images[service.name] = buildImage(service.name, service.contextDir, service.dockerfile, { NODE_IMAGE: config.build.baseImage });
    }
    if (platform.kind === "swarm") return deployToSwarm(loaded, platform, images, buildImage);
    return deployToKubernetes(loaded, platform, images, buildImage);
}

function deployToKubernetes(
    loaded: LoadedConfig,
    platform: KubernetesPlatform,
    images: Record<string, pulumi.Output<string>>,
    buildImage: (name: string, contextDir: string, dockerfile: string, buildArgs: Record<string, string>) => pulumi.Output<string>,
): StackOutputs {
    const { config } = loaded;
    const namespace = new AppNamespace("app", {
        name: config.app.namespace,
        provider: platform.provider,
        dependsOn: platform.workloadDependencies,
    });
    const kinds = inPlatformData(config, platform);
    const dataImages: Partial<Record<DataKind, pulumi.Output<string>>> = {};
    for (const kind of kinds) {
        dataImages[kind] = buildImage(dataImageName(kind), path.join(__dirname, "..", "..", "images", kind), "Dockerfile", {
            DEBIAN_IMAGE: config.build.debianImage,
        });
    }
    const clients = (kind: DataKind) => config.app.services.filter((s) => s.needs[kind]).map((s) => s.name);
    const inCluster =
        kinds.length === 0
            ? undefined
            : new InClusterData("data", {
                  provider: platform.provider,
                  kinds,
                  namespace: namespace.name,
                  images: dataImages,
                  database: config.data.postgres.database,
                  clients: { redis: clients("redis"), postgres: clients("postgres") },
                  sizing: {
                      redis: { ...config.data.redis, storageClassName: platform.storageClassName },
                      postgres: { ...config.data.postgres, storageClassName: platform.storageClassName },
                  },
              });
    const redis: RedisEndpoint | undefined = platform.managedData?.redis ?? inCluster?.redis;
    const external = config.data.postgres.external;
    const postgres: PostgresEndpoint | undefined =
        platform.managedData?.postgres ??
        (external && loaded.secrets.postgresPassword
            ? externalPostgresEndpoint(external, loaded.secrets.postgresPassword)
            : inCluster?.postgres);
    const app = new KubernetesApp("app", {
        platform,
        app: config.app,
        namespace: namespace.name,
        images,
        data: { redis, postgres },
        dependsOn: inCluster?.workloads ?? [],
    });
    return stackOutputs(config, {
        urls: app.urls,
        clusterName: platform.clusterName,
        registryUrl: platform.registry.url,
        kubeconfig: platform.kubeconfig,
        images,
    });
}
