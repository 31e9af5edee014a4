/**
 * Renders the app stack onto a Kubernetes platform: per service a ServiceAccount, the
 * connection Secret, the Deployment, its Service, HPA, PDB and NetworkPolicy.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AppSpec, ServiceSpec } from "../../../stacks/parse";
import type { DataEndpoints, KubernetesPlatform } from "../../cluster/platform";
import { requiredData } from "../../data/required";
import { serviceLabels } from "./labels";
import { deploymentSpec, hpaSpec, nodePortFor, pdbSpec, serviceNetworkPolicy, serviceSpec } from "./serviceSpecs";

/** Arguments of {@link KubernetesApp}. */
export interface KubernetesAppArgs {
    readonly platform: KubernetesPlatform;
    readonly app: AppSpec;
    /** Namespace the app runs in (created by AppNamespace). */
    readonly namespace: pulumi.Input<string>;
    /** Digest-pinned image per service name. */
    readonly images: Readonly<Record<string, pulumi.Input<string>>>;
    /** Data endpoints; a service that needs one that is absent is an error. */
    readonly data: Partial<DataEndpoints>;
    /** Workloads wait for these (the data services), so first pods find their dependencies. Default none. */
    readonly dependsOn?: readonly pulumi.Resource[];
}

/** The connection settings a service needs, as Secret string data (passwords stay secret Outputs). */
export function connectionSecretData(service: ServiceSpec, data: Partial<DataEndpoints>): Record<string, pulumi.Input<string>> {
    const { redis, postgres } = requiredData(service, data);
    const entries: Record<string, pulumi.Input<string>> = {};
    if (redis) {
        entries.REDIS_HOST = redis.host;
        entries.REDIS_PORT = pulumi.output(redis.port).apply(String);
        entries.REDIS_PASSWORD = redis.password;
        entries.REDIS_TLS = String(redis.tls);
    }
    if (postgres) {
        entries.PGHOST = postgres.host;
        entries.PGPORT = pulumi.output(postgres.port).apply(String);
        entries.PGDATABASE = postgres.database;
        entries.PGUSER = postgres.user;
        entries.PGPASSWORD = postgres.password;
        entries.PGSSLMODE = postgres.sslMode;
    }
    return entries;
}


/** The app stack on Kubernetes. */
export class KubernetesApp extends pulumi.ComponentResource {
    /** URL of each public service, by service name. */
    public readonly urls: Readonly<Record<string, pulumi.Output<string>>>;

    constructor(name: string, args: KubernetesAppArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:app:KubernetesApp", name, {}, opts);
        const { platform, app } = args;
        const childOpts = { parent: this, provider: platform.provider };
        const urls: Record<string, pulumi.Output<string>> = {};
        let publicIndex = 0;
        for (const service of app.services) {
            const image = args.images[service.name];
            if (image === undefined) throw new Error(`KubernetesApp ${name}: no image for service ${service.name}`);
            const prefix = `${name}-${service.name}`;
            const metadata = (objectName: string, component: string) => ({ name: objectName, namespace: args.namespace, labels: serviceLabels(service.name, component) });

            const account = new k8s.core.v1.ServiceAccount(`${prefix}-sa`, { metadata: metadata(service.name, "web"), automountServiceAccountToken: false }, childOpts);
            const secret = new k8s.core.v1.Secret(
                `${prefix}-connection`,
                { metadata: metadata(`${service.name}-connection`, "web"), type: "Opaque", stringData: connectionSecretData(service, args.data) },
                childOpts,
            );
            const deployment = new k8s.apps.v1.Deployment(
                `${prefix}-deployment`,
                {
                    metadata: metadata(service.name, "web"),
                    spec: deploymentSpec({ service, image, serviceAccountName: account.metadata.name, connectionSecretName: secret.metadata.name, cacheTtlSeconds: app.cacheTtlSeconds }),
                },
                { ...childOpts, dependsOn: [...(args.dependsOn ?? []), ...platform.workloadDependencies] },
            );
            const index = service.public ? publicIndex++ : undefined;
            const svc = new k8s.core.v1.Service(
                `${prefix}-service`,
                {
                    metadata: {
                        ...metadata(service.name, "web"),
                        annotations: platform.wayIn.kind === "loadBalancer" ? { ...platform.wayIn.annotations } : undefined,
                    },
                    spec: serviceSpec(service, platform.wayIn, index),
                },
                childOpts,
            );
            new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${prefix}-hpa`, { metadata: metadata(service.name, "web"), spec: hpaSpec(service, deployment.metadata.name) }, childOpts);
            new k8s.policy.v1.PodDisruptionBudget(`${prefix}-pdb`, { metadata: metadata(service.name, "web"), spec: pdbSpec(service) }, childOpts);
            new k8s.networking.v1.NetworkPolicy(`${prefix}-netpol`, { metadata: metadata(service.name, "web"), spec: serviceNetworkPolicy(service, requiredData(service, args.data)) }, childOpts);
            if (index !== undefined) urls[service.name] = serviceUrl(platform, svc, index);
        }
        this.urls = urls;
        this.registerOutputs({ urls });
    }
}

function serviceUrl(platform: KubernetesPlatform, service: k8s.core.v1.Service, publicIndex: number): pulumi.Output<string> {
    const wayIn = platform.wayIn;
    if (wayIn.kind === "nodePort") return pulumi.output(`http://${wayIn.nodeAddress}:${nodePortFor(wayIn.nodePortBase, publicIndex)}`);
    const ingress = service.status.loadBalancer.ingress[0];
    const address = wayIn.address === "hostname" ? ingress.hostname : ingress.ip;
    return pulumi.interpolate`http://${address}`;
}
