/**
 * Managed data services: ElastiCache Redis and RDS PostgreSQL in the private subnets,
 * encrypted at rest and in transit, with generated passwords, reachable only from the nodes.
 */
import * as aws from "@pulumi/aws/provider";
import * as ec2 from "@pulumi/aws/ec2";
import * as elasticache from "@pulumi/aws/elasticache";
import * as rds from "@pulumi/aws/rds";
import * as vpc from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import { randomPassword } from "../../secret/randomPassword";
import type { DataEndpoints } from "../platform";
import type { AwsSettings } from "../../../model/targets";
import { POSTGRES_USER } from "../../../model/names";

/** Ports of the managed services. */
export const REDIS_PORT = 6379;
export const POSTGRES_PORT = 5432;
/** Redis engine version of the replication group. */
export const REDIS_ENGINE_VERSION = "7.1";

/** Replication group shape: one node, or a primary and a replica in another zone with automatic failover. */
export function redisTopology(multiAz: boolean): { numCacheClusters: number; automaticFailoverEnabled: boolean; multiAzEnabled: boolean } {
    return multiAz
        ? { numCacheClusters: 2, automaticFailoverEnabled: true, multiAzEnabled: true }
        : { numCacheClusters: 1, automaticFailoverEnabled: false, multiAzEnabled: false };
}

/** Parameter group family of a PostgreSQL version ("16" or "16.4" → "postgres16"). */
export function postgresFamily(engineVersion: string): string {
    return `postgres${engineVersion.split(".")[0]}`;
}

/** The RDS instance settings that decide durability and exposure. */
export function postgresInstanceSettings(settings: AwsSettings["postgres"], clusterName: string) {
    return {
        engine: "postgres",
        engineVersion: settings.engineVersion,
        instanceClass: settings.instanceClass,
        allocatedStorage: settings.allocatedStorage,
        storageType: "gp3",
        storageEncrypted: true,
        publiclyAccessible: false,
        multiAz: settings.multiAz,
        deletionProtection: settings.deletionProtection,
        backupRetentionPeriod: settings.backupRetentionDays,
        // A protected database also keeps a final snapshot when it is deleted on purpose.
        skipFinalSnapshot: !settings.deletionProtection,
        finalSnapshotIdentifier: settings.deletionProtection
            ? `${clusterName.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-postgres-final`
            : undefined,
        copyTagsToSnapshot: true,
        autoMinorVersionUpgrade: true,
        port: POSTGRES_PORT,
    };
}

/** Arguments of {@link AwsManagedData}. */
export interface AwsManagedDataArgs {
    readonly clusterName: string;
    readonly vpcId: pulumi.Input<string>;
    /** The VPC CIDR: where the app's egress NetworkPolicy lets it reach the services. */
    readonly vpcCidr: string;
    readonly subnetIds: pulumi.Input<string>[];
    /** The only security group admitted (the one EKS gives managed nodes, and so their pods). */
    readonly nodeSecurityGroupId: pulumi.Input<string>;
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly redis: AwsSettings["redis"];
    readonly postgres: AwsSettings["postgres"];
    /** Database the app uses, created with the instance; a PostgreSQL identifier the config edge checked, which RDS accepts too. */
    readonly database: string;
    readonly provider: aws.Provider;
}

/** ElastiCache Redis and RDS PostgreSQL for the app. */
export class AwsManagedData extends pulumi.ComponentResource {
    public readonly endpoints: DataEndpoints;

    constructor(name: string, args: AwsManagedDataArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:AwsManagedData", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        const peerGroup = (service: string, port: number) => {
            const group = new ec2.SecurityGroup(
                `${name}-${service}-sg`,
                {
                    vpcId: args.vpcId,
                    description: `${service} of ${args.clusterName}: only from the cluster nodes`,
                    tags: { Name: `${args.clusterName}-${service}` },
                },
                child,
            );
            new vpc.SecurityGroupIngressRule(
                `${name}-${service}-from-nodes`,
                {
                    securityGroupId: group.id,
                    referencedSecurityGroupId: args.nodeSecurityGroupId,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    description: "cluster nodes and pods",
                },
                child,
            );
            return group;
        };

        const redisGroup = peerGroup("redis", REDIS_PORT);
        const redisSubnets = new elasticache.SubnetGroup(
            `${name}-redis-subnets`,
            { description: `private subnets of ${args.clusterName}`, subnetIds: args.subnetIds },
            child,
        );
        const redisPassword = randomPassword(`${name}-redis-auth`, this);
        const redis = new elasticache.ReplicationGroup(
            `${name}-redis`,
            {
                description: `Redis of ${args.clusterName}`,
                engine: "redis",
                engineVersion: REDIS_ENGINE_VERSION,
                nodeType: args.redis.nodeType,
                port: REDIS_PORT,
                ...redisTopology(args.redis.multiAz),
                transitEncryptionEnabled: true,
                atRestEncryptionEnabled: true,
                kmsKeyId: args.kmsKeyArn,
                authToken: redisPassword.result,
                subnetGroupName: redisSubnets.name,
                securityGroupIds: [redisGroup.id],
                autoMinorVersionUpgrade: true,
                snapshotRetentionLimit: 1,
            },
            child,
        );

        const postgresGroup = peerGroup("postgres", POSTGRES_PORT);
        const postgresSubnets = new rds.SubnetGroup(
            `${name}-postgres-subnets`,
            { description: `private subnets of ${args.clusterName}`, subnetIds: args.subnetIds },
            child,
        );
        // TLS is required by the server, not only requested by the client.
        const parameters = new rds.ParameterGroup(
            `${name}-postgres-params`,
            {
                family: postgresFamily(args.postgres.engineVersion),
                description: `${args.clusterName}: TLS only`,
                parameters: [{ name: "rds.force_ssl", value: "1" }],
            },
            child,
        );
        const postgresPassword = randomPassword(`${name}-postgres-password`, this);
        const postgres = new rds.Instance(
            `${name}-postgres`,
            {
                ...postgresInstanceSettings(args.postgres, args.clusterName),
                kmsKeyId: args.kmsKeyArn,
                dbName: args.database,
                username: POSTGRES_USER,
                password: postgresPassword.result,
                dbSubnetGroupName: postgresSubnets.name,
                vpcSecurityGroupIds: [postgresGroup.id],
                parameterGroupName: parameters.name,
            },
            child,
        );

        const peer = (port: number) => ({ kind: "cidrs" as const, cidrs: [args.vpcCidr], port });
        this.endpoints = {
            redis: {
                host: redis.primaryEndpointAddress,
                port: REDIS_PORT,
                password: redisPassword.result,
                tls: true,
                peer: peer(REDIS_PORT),
            },
            postgres: {
                host: postgres.address,
                port: postgres.port,
                database: args.database,
                user: POSTGRES_USER,
                password: postgresPassword.result,
                sslMode: "require",
                peer: peer(POSTGRES_PORT),
            },
        };
        this.registerOutputs({ redisHost: redis.primaryEndpointAddress, postgresHost: postgres.address });
    }
}
