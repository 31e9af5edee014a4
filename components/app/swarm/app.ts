/**
 * Renders the app stack's services onto a swarm: per service its password secrets (files under
 * /run/secrets, read through *_FILE), the swarm service, and for public services the way in:
 * an ingress-published port (routing mesh) or the built-in proxy.
 */
import * as pulumi from "@pulumi/pulumi";
import type { SwarmPostgresEndpoint, SwarmRedisEndpoint } from "./data";
import { requiredData } from "../../data/required";
import { SwarmSecret } from "./resources/secret";
import { SwarmService } from "./resources/service";
import { appServiceSpec, PostgresConnection, proxyServiceSpec, RedisConnection, SecretMount, stackLabels, swarmName } from "./specs";
import { APP_UID, publicPortFor, type AppSpec } from "../../../model/app";

/** Arguments of {@link SwarmApp}. */
export interface SwarmAppArgs {
    readonly engineHost: string;
    readonly app: AppSpec;
    /** Digest-pinned image per service name. */
    readonly images: Readonly<Record<string, pulumi.Input<string>>>;
    readonly networks: { readonly frontend: pulumi.Input<string>; readonly data: pulumi.Input<string> };
    readonly data: { readonly redis?: SwarmRedisEndpoint; readonly postgres?: SwarmPostgresEndpoint };
    /** How published ports reach tasks: the routing mesh, or the built-in proxy (its image must be given). */
    readonly routing:
        { readonly kind: "mesh" } | { readonly kind: "proxy"; readonly image: pulumi.Input<string>; readonly constraint: string };
    readonly publicAddress: string;
    readonly publishedPortBase: number;
    readonly convergeTimeoutSeconds: number;
    /** App services wait for these (the data services). Default none. */
    readonly dependsOn?: readonly pulumi.Resource[];
}

/** The app stack's services on a swarm. */
export class SwarmApp extends pulumi.ComponentResource {
    /** URL of each public service, by service name. */
    public readonly urls: Readonly<Record<string, pulumi.Output<string>>>;

    constructor(name: string, args: SwarmAppArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:app:SwarmApp", name, {}, opts);
        const { app, engineHost } = args;
        const childOpts = { parent: this };
        const urls: Record<string, pulumi.Output<string>> = {};
        const labels = stackLabels(app.namespace, "web");
        let publicIndex = 0;
        for (const service of app.services) {
            const image = args.images[service.name];
            if (image === undefined) throw new Error(`SwarmApp ${name}: no image for service ${service.name}`);
            const prefix = `${name}-${service.name}`;
            const { redis, postgres } = requiredData(service, args.data);
            const secret = (kind: string, data: pulumi.Output<string>): pulumi.Output<SecretMount> => {
                const created = new SwarmSecret(
                    `${prefix}-${kind}-password`,
                    { engineHost, baseName: swarmName(app.namespace, `${service.name}-${kind}-password`), data, labels },
                    childOpts,
                );
                return pulumi
                    .all([created.secretId, created.name])
                    .apply(([id, secretName]) => ({ id, name: secretName, file: `${kind}-password`, uid: APP_UID }));
            };
            const redisConnection: pulumi.Output<RedisConnection | undefined> = redis
                ? pulumi
                      .all([redis.host, redis.port, secret("redis", redis.password)])
                      .apply(([host, port, password]) => ({ host, port, tls: redis.tls, password }))
                : pulumi.output(undefined);
            const postgresConnection: pulumi.Output<PostgresConnection | undefined> = postgres
                ? pulumi
                      .all([postgres.host, postgres.port, postgres.database, postgres.user, secret("postgres", postgres.password)])
                      .apply(([host, port, database, user, password]) => ({
                          host,
                          port,
                          database,
                          user,
                          sslMode: postgres.sslMode,
                          password,
                      }))
                : pulumi.output(undefined);
            const publishedPort = service.public ? publicPortFor(args.publishedPortBase, publicIndex++) : undefined;
            const networks =
                service.needs.redis || service.needs.postgres ? [args.networks.frontend, args.networks.data] : [args.networks.frontend];
            const spec = pulumi
                .all([pulumi.output(image), pulumi.all(networks), redisConnection, postgresConnection])
                .apply(([imageRef, networkIds, redisConn, postgresConn]) =>
                    appServiceSpec({
                        service,
                        namespace: app.namespace,
                        image: imageRef,
                        cacheTtlSeconds: app.cacheTtlSeconds,
                        networks: networkIds,
                        endpointMode: args.routing.kind === "mesh" ? "vip" : "dnsrr",
                        publishedPort: args.routing.kind === "mesh" ? publishedPort : undefined,
                        redis: redisConn,
                        postgres: postgresConn,
                    }),
                );
            const swarmService = new SwarmService(
                prefix,
                { engineHost, spec, convergeTimeoutSeconds: args.convergeTimeoutSeconds },
                { ...childOpts, dependsOn: [...(args.dependsOn ?? [])] },
            );
            if (publishedPort === undefined) continue;
            if (args.routing.kind === "proxy") {
                const proxySpec = pulumi.all({ image: args.routing.image, network: args.networks.frontend }).apply((v) =>
                    proxyServiceSpec({
                        namespace: app.namespace,
                        service,
                        image: v.image,
                        network: v.network,
                        publishedPort,
                        constraints: args.routing.kind === "proxy" ? [args.routing.constraint] : [],
                    }),
                );
                new SwarmService(
                    `${prefix}-proxy`,
                    { engineHost, spec: proxySpec, convergeTimeoutSeconds: args.convergeTimeoutSeconds },
                    { ...childOpts, dependsOn: [swarmService] },
                );
            }
            urls[service.name] = pulumi.output(`http://${args.publicAddress}:${publishedPort}`);
        }
        this.urls = urls;
        this.registerOutputs({ urls });
    }
}
