/**
 * Redis and PostgreSQL inside the Kubernetes cluster, for targets without managed data
 * services (local). Passwords are generated once and kept secret; images are built from
 * images/<kind> like the app's, so they are digest-pinned too.
 */
import * as appsv1 from "@pulumi/kubernetes/apps/v1";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as networkingv1 from "@pulumi/kubernetes/networking/v1";
import { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import type { PostgresEndpoint, RedisEndpoint } from "../cluster/platform";
import { serviceLabels, selectorLabels } from "../app/kubernetes/labels";
import { randomPassword } from "../secret/randomPassword";
import {
    AUTH_FILES,
    DATA_IMAGES,
    dataNetworkPolicySpec,
    dataServiceName,
    DataKind,
    DataSizing,
    dataStatefulSetSpec,
    redisConfigFile,
} from "./dataSpecs";
import { POSTGRES_USER } from "../../model/names";

/** Arguments of {@link InClusterData}. */
export interface InClusterDataArgs {
    readonly provider: Provider;
    /** Which data services to run here (PostgreSQL may be external). */
    readonly kinds: readonly DataKind[];
    readonly namespace: pulumi.Input<string>;
    /** Digest-pinned image of each data service that runs here. */
    readonly images: Readonly<Partial<Record<DataKind, pulumi.Input<string>>>>;
    readonly sizing: Readonly<Record<DataKind, DataSizing>>;
    /** PostgreSQL database name. */
    readonly database: string;
    /** App services that connect to each data service (the only ones its NetworkPolicy admits). */
    readonly clients: Readonly<Record<DataKind, readonly string[]>>;
}

/** In-cluster Redis and PostgreSQL behind the same endpoint types as managed ones. */
export class InClusterData extends pulumi.ComponentResource {
    /** Redis, when it runs here. */
    public readonly redis?: RedisEndpoint;
    /** PostgreSQL, when it runs here. */
    public readonly postgres?: PostgresEndpoint;
    /** The StatefulSets, so workloads can wait for them. */
    public readonly workloads: readonly pulumi.Resource[];

    constructor(name: string, args: InClusterDataArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:InClusterData", name, {}, opts);
        const childOpts = { parent: this, provider: args.provider };
        const workloads: pulumi.Resource[] = [];
        for (const kind of args.kinds) {
            const image = args.images[kind];
            if (image === undefined) throw new Error(`InClusterData ${name}: no image for ${kind}`);
            const password = randomPassword(`${name}-${kind}-password`, this).result;
            const serviceName = dataServiceName(kind);
            const metadata = (objectName: string) => ({ name: objectName, namespace: args.namespace, labels: serviceLabels(kind, "data") });
            const secret = new corev1.Secret(
                `${name}-${kind}-auth`,
                {
                    metadata: metadata(`${kind}-auth`),
                    type: "Opaque",
                    // The keys are the files the server reads (see AUTH_FILES).
                    stringData:
                        kind === "postgres"
                            ? { [AUTH_FILES.postgres.user]: POSTGRES_USER, [AUTH_FILES.postgres.password]: password }
                            : { [AUTH_FILES.redis.config]: password.apply(redisConfigFile) },
                },
                childOpts,
            );
            new corev1.Service(
                `${name}-${kind}-service`,
                {
                    metadata: metadata(serviceName),
                    spec: {
                        type: "ClusterIP",
                        selector: selectorLabels(kind),
                        ports: [{ name: kind, port: DATA_IMAGES[kind].port, targetPort: kind, protocol: "TCP" }],
                    },
                },
                childOpts,
            );
            workloads.push(
                new appsv1.StatefulSet(
                    `${name}-${kind}`,
                    {
                        metadata: metadata(serviceName),
                        spec: dataStatefulSetSpec(kind, image, secret.metadata.name, args.sizing[kind], args.database),
                    },
                    childOpts,
                ),
            );
            new networkingv1.NetworkPolicy(
                `${name}-${kind}-netpol`,
                { metadata: metadata(kind), spec: dataNetworkPolicySpec(kind, args.clients[kind]) },
                childOpts,
            );
            const peer = { kind: "pods" as const, labels: selectorLabels(kind), port: DATA_IMAGES[kind].port };
            if (kind === "redis") this.redis = { host: serviceName, port: DATA_IMAGES.redis.port, password, tls: false, peer };
            else
                this.postgres = {
                    host: serviceName,
                    port: DATA_IMAGES.postgres.port,
                    database: args.database,
                    user: POSTGRES_USER,
                    password,
                    sslMode: "disable",
                    peer,
                };
        }
        this.workloads = workloads;
        this.registerOutputs({});
    }
}
