/**
 * Managed data behind private addresses: Azure Cache for Redis (TLS only, reached through a
 * private endpoint) and PostgreSQL Flexible Server (VNet-integrated in the delegated data
 * subnet), each with its private DNS zone. Credentials stay secret Outputs.
 */
import * as dbforpostgresql from "@pulumi/azure-native/dbforpostgresql";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as redis from "@pulumi/azure-native/redis";
import * as pulumi from "@pulumi/pulumi";
import { randomPassword } from "../../secret/randomPassword";
import type { DataEndpoints } from "../platform";
import type { AzureSettings } from "../../../model/targets";

/** TLS port of Azure Cache for Redis (the plain port 6379 stays off). */
export const REDIS_TLS_PORT = 6380;
/** PostgreSQL port (Flexible Server listens on 5432 only). */
export const POSTGRES_PORT = 5432;
/** Server administrator login; Azure refuses "postgres", "admin", "azure_superuser" and the like. */
export const POSTGRES_ADMIN = "platformadmin";
/** The private DNS zone that Redis private endpoints register in (fixed by Azure). */
export const REDIS_PRIVATE_ZONE = "privatelink.redis.cache.windows.net";

/** Redis SKU: family C for Basic and Standard, P for Premium. */
export function redisSku(settings: AzureSettings["redis"]) {
    return { name: settings.sku, family: settings.sku === "Premium" ? "P" : "C", capacity: settings.capacity };
}

/** The private DNS zone of a Flexible Server (Azure requires the ".postgres.database.azure.com" suffix). */
export function postgresPrivateZone(name: string): string {
    return `${name}.private.postgres.database.azure.com`;
}

/** PostgreSQL high availability: a standby in another zone, or none. */
export function postgresHighAvailability(enabled: boolean) {
    return { mode: enabled ? "ZoneRedundant" : "Disabled" };
}

/** Arguments of {@link AzureData}. */
export interface AzureDataArgs {
    readonly resourceGroupName: pulumi.Input<string>;
    readonly vnetId: pulumi.Input<string>;
    readonly dataSubnetId: pulumi.Input<string>;
    readonly endpointSubnetId: pulumi.Input<string>;
    readonly ranges: Pick<AzureSettings, "dataSubnetCidr" | "endpointSubnetCidr">;
    readonly redis: AzureSettings["redis"];
    readonly postgres: AzureSettings["postgres"];
    /** Database the app uses. */
    readonly database: string;
}

/** Redis and PostgreSQL, reachable only from the VNet. */
export class AzureData extends pulumi.ComponentResource {
    /** Connection facts for the app: TLS Redis on 6380, PostgreSQL with sslmode require; passwords secret. */
    public readonly endpoints: DataEndpoints;

    constructor(name: string, args: AzureDataArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:AzureData", name, {}, opts);
        const privateZone = (role: string, zoneName: string) => {
            const zone = new privatedns.PrivateZone(
                `${name}-${role}-dns`,
                { resourceGroupName: args.resourceGroupName, privateZoneName: zoneName, location: "global" },
                { parent: this },
            );
            const link = new privatedns.VirtualNetworkLink(
                `${name}-${role}-dns-link`,
                {
                    resourceGroupName: args.resourceGroupName,
                    privateZoneName: zone.name,
                    virtualNetwork: { id: args.vnetId },
                    registrationEnabled: false,
                    location: "global",
                },
                { parent: this },
            );
            return { zone, link };
        };

        const cache = new redis.Redis(
            `${name}-redis`,
            {
                resourceGroupName: args.resourceGroupName,
                sku: redisSku(args.redis),
                enableNonSslPort: false,
                minimumTlsVersion: "1.2",
                publicNetworkAccess: "Disabled",
            },
            { parent: this },
        );
        const redisDns = privateZone("redis", REDIS_PRIVATE_ZONE);
        const endpoint = new network.PrivateEndpoint(
            `${name}-redis-endpoint`,
            {
                resourceGroupName: args.resourceGroupName,
                subnet: { id: args.endpointSubnetId },
                privateLinkServiceConnections: [{ name: "redis", privateLinkServiceId: cache.id, groupIds: ["redisCache"] }],
            },
            { parent: this },
        );
        new network.PrivateDnsZoneGroup(
            `${name}-redis-endpoint-dns`,
            {
                resourceGroupName: args.resourceGroupName,
                privateEndpointName: endpoint.name,
                privateDnsZoneConfigs: [{ name: "redis", privateDnsZoneId: redisDns.zone.id }],
            },
            { parent: this, dependsOn: [redisDns.link] },
        );
        const keys = redis.listRedisKeysOutput({ resourceGroupName: args.resourceGroupName, name: cache.name }, { parent: this });

        const postgresDns = privateZone("postgres", postgresPrivateZone(name));
        const password = randomPassword(`${name}-postgres-password`, this);
        // Secret here too: additionalSecretOutputs is applied by the engine, and this value must never travel in plain text.
        const adminPassword = pulumi.secret(password.result);
        const server = new dbforpostgresql.Server(
            `${name}-postgres`,
            {
                resourceGroupName: args.resourceGroupName,
                version: args.postgres.version,
                sku: { name: args.postgres.skuName, tier: args.postgres.tier },
                storage: { storageSizeGB: args.postgres.storageSizeGb, autoGrow: "Enabled" },
                backup: { backupRetentionDays: args.postgres.backupRetentionDays, geoRedundantBackup: "Disabled" },
                highAvailability: postgresHighAvailability(args.postgres.highAvailability),
                administratorLogin: POSTGRES_ADMIN,
                administratorLoginPassword: adminPassword,
                network: {
                    delegatedSubnetResourceId: args.dataSubnetId,
                    privateDnsZoneArmResourceId: postgresDns.zone.id,
                    publicNetworkAccess: "Disabled",
                },
            },
            // The server resolves its own name through the zone at creation: the VNet link must exist first.
            { parent: this, dependsOn: [postgresDns.link] },
        );
        const database = new dbforpostgresql.Database(
            `${name}-postgres-db`,
            {
                resourceGroupName: args.resourceGroupName,
                serverName: server.name,
                databaseName: args.database,
                charset: "UTF8",
                collation: "en_US.utf8",
            },
            { parent: this },
        );

        this.endpoints = {
            redis: {
                host: cache.hostName,
                port: REDIS_TLS_PORT,
                password: pulumi.secret(keys.primaryKey),
                tls: true,
                // The app reaches Redis at its private endpoint's address in the endpoint subnet.
                peer: { kind: "cidrs", cidrs: [args.ranges.endpointSubnetCidr], port: REDIS_TLS_PORT },
            },
            postgres: {
                host: server.fullyQualifiedDomainName,
                port: POSTGRES_PORT,
                database: database.name,
                user: POSTGRES_ADMIN,
                password: adminPassword,
                sslMode: "require",
                peer: { kind: "cidrs", cidrs: [args.ranges.dataSubnetCidr], port: POSTGRES_PORT },
            },
        };
        this.registerOutputs({ redisHost: cache.hostName, postgresHost: server.fullyQualifiedDomainName });
    }
}
