/**
 * Redis and PostgreSQL as swarm services for the swarm target: each with a generated password
 * (kept secret, handed over as a Docker secret file), a named volume, a placement constraint
 * that keeps it on the node holding that volume, and only the data network.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PostgresEndpoint, RedisEndpoint } from "../../cluster/platform";
import type { DataKind } from "../../data/dataSpecs";
import { DATA_IMAGES, redisConfigFile } from "../../data/dataSpecs";
import { randomPassword } from "../../secret/randomPassword";
import { SwarmSecret } from "./resources/secret";
import { SwarmService } from "./resources/service";
import { SwarmVolume } from "./resources/volume";
import { DATA_SECRET_FILES, dataServiceSpec, stackLabels, swarmName } from "./specs";
import { POSTGRES_USER } from "../../../model/names";

/** How the app reaches Redis on the swarm: the platform's endpoint without a NetworkPolicy peer (overlay networks isolate instead). */
export type SwarmRedisEndpoint = Omit<RedisEndpoint, "peer">;

/** How the app reaches PostgreSQL on the swarm (in-platform or external). */
export type SwarmPostgresEndpoint = Omit<PostgresEndpoint, "peer">;

/** Arguments of {@link SwarmData}. */
export interface SwarmDataArgs {
    readonly engineHost: string;
    /** Stack namespace: prefix of every swarm object name. */
    readonly namespace: string;
    readonly kinds: readonly DataKind[];
    /** Digest-pinned image of each data service that runs here. */
    readonly images: Readonly<Partial<Record<DataKind, pulumi.Input<string>>>>;
    /** The data network's id. */
    readonly network: pulumi.Input<string>;
    readonly sizing: Readonly<Record<DataKind, { readonly cpu: string; readonly memory: string }>>;
    readonly database: string;
    /** Placement constraint of the data services. */
    readonly constraint: string;
    readonly convergeTimeoutSeconds: number;
}

/** Redis and PostgreSQL on the swarm, behind endpoints the app renderer consumes. */
export class SwarmData extends pulumi.ComponentResource {
    /** Redis, when it runs here. */
    public readonly redis?: SwarmRedisEndpoint;
    /** PostgreSQL, when it runs here. */
    public readonly postgres?: SwarmPostgresEndpoint;
    /** The data services, so app services can wait for them. */
    public readonly services: readonly pulumi.Resource[];

    constructor(name: string, args: SwarmDataArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:SwarmData", name, {}, opts);
        const services: pulumi.Resource[] = [];
        const labels = stackLabels(args.namespace, "data");
        for (const kind of args.kinds) {
            const image = args.images[kind];
            if (image === undefined) throw new Error(`SwarmData ${name}: no image for ${kind}`);
            const password = randomPassword(`${name}-${kind}-password`, this).result;
            const secret = new SwarmSecret(
                `${name}-${kind}-secret`,
                {
                    engineHost: args.engineHost,
                    baseName: swarmName(args.namespace, `${kind}-server`),
                    data: kind === "redis" ? password.apply(redisConfigFile) : password,
                    labels,
                },
                { parent: this },
            );
            const volume = new SwarmVolume(
                `${name}-${kind}-volume`,
                { engineHost: args.engineHost, name: swarmName(args.namespace, `${kind}-data`), labels },
                { parent: this },
            );
            const spec = pulumi
                .all({ image, network: args.network, secretId: secret.secretId, secretName: secret.name, volume: volume.name })
                .apply((v) =>
                    dataServiceSpec({
                        kind,
                        namespace: args.namespace,
                        image: v.image,
                        network: v.network,
                        volume: v.volume,
                        secret: { id: v.secretId, name: v.secretName, file: DATA_SECRET_FILES[kind], uid: DATA_IMAGES[kind].uid },
                        cpu: args.sizing[kind].cpu,
                        memory: args.sizing[kind].memory,
                        database: args.database,
                        constraints: [args.constraint],
                    }),
                );
            services.push(
                new SwarmService(
                    `${name}-${kind}`,
                    { engineHost: args.engineHost, spec, convergeTimeoutSeconds: args.convergeTimeoutSeconds },
                    { parent: this },
                ),
            );
            const host = swarmName(args.namespace, kind);
            if (kind === "redis") this.redis = { host, port: DATA_IMAGES.redis.port, password, tls: false };
            else
                this.postgres = {
                    host,
                    port: DATA_IMAGES.postgres.port,
                    database: args.database,
                    user: POSTGRES_USER,
                    password,
                    sslMode: "disable",
                };
        }
        this.services = services;
        this.registerOutputs({});
    }
}
