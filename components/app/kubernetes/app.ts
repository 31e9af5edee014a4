/**
 * Renders the app stack onto a Kubernetes platform: per service a ServiceAccount, the
 * connection Secret, the Deployment, its Service, HPA, PDB and NetworkPolicy, and a
 * VerticalPodAutoscaler in recommendation mode unless the service's `vpa` is `off`.
 */
import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import * as appsv1 from "@pulumi/kubernetes/apps/v1";
import * as autoscalingv2 from "@pulumi/kubernetes/autoscaling/v2";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as networkingv1 from "@pulumi/kubernetes/networking/v1";
import * as policyv1 from "@pulumi/kubernetes/policy/v1";
import * as pulumi from "@pulumi/pulumi";
import type { DataEndpoints, KubernetesPlatform } from "../../cluster/platform";
import { requiredData } from "../../data/required";
import { SECRETS_DIR } from "./hardening";
import { serviceLabels } from "./labels";
import { deploymentSpec, hpaSpec, pdbSpec, serviceNetworkPolicy, serviceSpec } from "./serviceSpecs";
import { VPA_API_VERSION, VPA_KIND, vpaSpec } from "./vpaSpec";
import { publicPortFor, type AppSpec, type ServiceSpec } from "../../../model/app";

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

/** Secret keys (file names under /run/secrets) of the data passwords; the same names as on Swarm. */
export const PASSWORD_FILES = { redis: "redis-password", postgres: "postgres-password" } as const;

/** The passwords a service needs, as Secret string data keyed by file name (values stay secret Outputs). */
export function connectionSecretData(service: ServiceSpec, data: Partial<DataEndpoints>): Record<string, pulumi.Input<string>> {
    const { redis, postgres } = requiredData(service, data);
    const entries: Record<string, pulumi.Input<string>> = {};
    if (redis) entries[PASSWORD_FILES.redis] = redis.password;
    if (postgres) entries[PASSWORD_FILES.postgres] = postgres.password;
    return entries;
}

/** A port as an environment value: plain text when it is known (in-cluster data), an Output only when it is not. */
function portText(port: pulumi.Input<number>): pulumi.Input<string> {
    return typeof port === "number" ? String(port) : pulumi.output(port).apply(String);
}

/**
 * The connection settings a service needs as environment variables: hosts, ports and names in
 * plain values, passwords only as `*_FILE` paths into the mounted connection Secret.
 */
export function connectionEnv(service: ServiceSpec, data: Partial<DataEndpoints>): { name: string; value: pulumi.Input<string> }[] {
    const { redis, postgres } = requiredData(service, data);
    const env: { name: string; value: pulumi.Input<string> }[] = [];
    if (redis) {
        env.push(
            { name: "REDIS_HOST", value: redis.host },
            { name: "REDIS_PORT", value: portText(redis.port) },
            { name: "REDIS_TLS", value: String(redis.tls) },
            { name: "REDIS_PASSWORD_FILE", value: `${SECRETS_DIR}/${PASSWORD_FILES.redis}` },
        );
    }
    if (postgres) {
        env.push(
            { name: "PGHOST", value: postgres.host },
            { name: "PGPORT", value: portText(postgres.port) },
            { name: "PGDATABASE", value: postgres.database },
            { name: "PGUSER", value: postgres.user },
            { name: "PGSSLMODE", value: postgres.sslMode },
            { name: "PGPASSWORD_FILE", value: `${SECRETS_DIR}/${PASSWORD_FILES.postgres}` },
        );
    }
    return env;
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
            const metadata = (objectName: string, component: string) => ({
                name: objectName,
                namespace: args.namespace,
                labels: serviceLabels(service.name, component),
            });

            const account = new corev1.ServiceAccount(
                `${prefix}-sa`,
                { metadata: metadata(service.name, "web"), automountServiceAccountToken: false },
                childOpts,
            );
            const secret = new corev1.Secret(
                `${prefix}-connection`,
                {
                    metadata: metadata(`${service.name}-connection`, "web"),
                    type: "Opaque",
                    stringData: connectionSecretData(service, args.data),
                },
                childOpts,
            );
            const deployment = new appsv1.Deployment(
                `${prefix}-deployment`,
                {
                    metadata: metadata(service.name, "web"),
                    spec: deploymentSpec({
                        service,
                        image,
                        serviceAccountName: account.metadata.name,
                        connectionSecretName: secret.metadata.name,
                        connectionEnv: connectionEnv(service, args.data),
                        cacheTtlSeconds: app.cacheTtlSeconds,
                    }),
                },
                { ...childOpts, dependsOn: [...(args.dependsOn ?? []), ...platform.workloadDependencies] },
            );
            const index = service.public ? publicIndex++ : undefined;
            const svc = new corev1.Service(
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
            new autoscalingv2.HorizontalPodAutoscaler(
                `${prefix}-hpa`,
                { metadata: metadata(service.name, "web"), spec: hpaSpec(service, deployment.metadata.name) },
                childOpts,
            );
            if (service.vpa === "recommend") {
                new apiextensions.CustomResource(
                    `${prefix}-vpa`,
                    {
                        apiVersion: VPA_API_VERSION,
                        kind: VPA_KIND,
                        metadata: metadata(service.name, "web"),
                        spec: vpaSpec(service, deployment.metadata.name),
                    },
                    childOpts,
                );
            }
            new policyv1.PodDisruptionBudget(
                `${prefix}-pdb`,
                { metadata: metadata(service.name, "web"), spec: pdbSpec(service) },
                childOpts,
            );
            new networkingv1.NetworkPolicy(
                `${prefix}-netpol`,
                { metadata: metadata(service.name, "web"), spec: serviceNetworkPolicy(service, requiredData(service, args.data)) },
                childOpts,
            );
            if (index !== undefined) urls[service.name] = serviceUrl(platform, svc, index);
        }
        this.urls = urls;
        this.registerOutputs({ urls });
    }
}

function serviceUrl(platform: KubernetesPlatform, service: corev1.Service, publicIndex: number): pulumi.Output<string> {
    const wayIn = platform.wayIn;
    if (wayIn.kind === "nodePort") return pulumi.output(`http://${wayIn.nodeAddress}:${publicPortFor(wayIn.nodePortBase, publicIndex)}`);
    const ingress = service.status.loadBalancer.ingress[0];
    const address = wayIn.address === "hostname" ? ingress.hostname : ingress.ip;
    return pulumi.interpolate`http://${address}`;
}
