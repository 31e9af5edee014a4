/**
 * The Kubernetes deployer (local, aws, azure): the app namespace, the data services the plan
 * runs in the cluster, and the app, wired to each data service where the plan says it lives.
 */
import { KubernetesApp } from "../components/app/kubernetes/app";
import { AppNamespace } from "../components/app/kubernetes/namespace";
import type { KubernetesPlatform, PostgresEndpoint, RedisEndpoint } from "../components/cluster/platform";
import { InClusterData } from "../components/data/inCluster";
import type { DataKind } from "../model/names";
import type { LoadedConfig } from "./config";
import { externalPostgres } from "./externalData";
import type { BuiltImages } from "./images";
import { StackOutputs, stackOutputs } from "./outputs";
import type { StackPlan } from "./plan";

/** Deploys the app stack onto a Kubernetes platform as the plan says, and returns the stack outputs. */
export function deployToKubernetes(plan: StackPlan, platform: KubernetesPlatform, images: BuiltImages, loaded: LoadedConfig): StackOutputs {
    const { config } = loaded;
    const namespace = new AppNamespace("app", {
        name: config.app.namespace,
        provider: platform.provider,
        dependsOn: platform.workloadDependencies,
    });
    const kinds = plan.inPlatformData;
    const clients = (kind: DataKind) => config.app.services.filter((s) => s.needs[kind]).map((s) => s.name);
    const inCluster =
        kinds.length === 0
            ? undefined
            : new InClusterData("data", {
                  provider: platform.provider,
                  kinds,
                  namespace: namespace.name,
                  images: images.data,
                  database: config.data.postgres.database,
                  clients: { redis: clients("redis"), postgres: clients("postgres") },
                  sizing: {
                      redis: { ...config.data.redis, storageClassName: platform.storageClassName },
                      postgres: { ...config.data.postgres, storageClassName: platform.storageClassName },
                  },
              });
    const redis: RedisEndpoint | undefined = plan.data.redis === "managed" ? platform.managedData?.redis : inCluster?.redis;
    const postgres: PostgresEndpoint | undefined =
        plan.data.postgres === "managed"
            ? platform.managedData?.postgres
            : plan.data.postgres === "external"
              ? externalPostgres(loaded)
              : inCluster?.postgres;
    const app = new KubernetesApp("app", {
        platform,
        app: config.app,
        namespace: namespace.name,
        images: images.services,
        data: { redis, postgres },
        dependsOn: inCluster?.workloads ?? [],
    });
    return stackOutputs(plan, {
        urls: app.urls,
        clusterName: platform.clusterName,
        registryUrl: platform.registry.url,
        kubeconfig: platform.kubeconfig,
        images: images.services,
    });
}
