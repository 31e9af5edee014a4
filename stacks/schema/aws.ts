/** `platform:aws`: EKS in a new VPC, ECR, ElastiCache Redis and RDS PostgreSQL. */
import { z } from "zod";
import { checkClusterSize, clusterSizeShape } from "./clusterSize";
import { cidr, flag, intInRange, kubernetesVersion, oneOf } from "./rules";

const instanceType = (example: string) =>
    z.string().regex(/^[a-z][a-z0-9]*\.[a-z0-9]+$/, { error: `must be an instance type name such as "${example}"` });

export const awsSchema = z
    .strictObject({
        region: z.string({ error: 'must be an AWS region such as "eu-west-1"' }).regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, { error: 'must be an AWS region such as "eu-west-1"' }),
        availabilityZones: intInRange(2, 3).default(2),
        vpcNetworkCidr: cidr().default("10.0.0.0/16"),
        /** One NAT gateway for the VPC ("single", cheaper) or one per zone ("perZone", survives a zone loss). */
        natGateways: oneOf(["single", "perZone"]).default("single"),
        kubernetesVersion: kubernetesVersion().default("1.33"),
        eksNodeInstanceType: instanceType("t3.medium").default("t3.medium"),
        /** CIDRs allowed to reach the public API endpoint; empty turns the public endpoint off. */
        endpointPublicAccessCidrs: z.array(cidr()).default([]),
        /** IAM role ARNs granted cluster admin through EKS access entries. */
        adminRoleArns: z.array(z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, { error: "must be an IAM role ARN" })).default([]),
        addons: z
            .strictObject({
                vpcCni: z.string().default("v1.20.4-eksbuild.1"),
                coreDns: z.string().default("v1.12.4-eksbuild.1"),
                kubeProxy: z.string().default("v1.33.3-eksbuild.6"),
                ebsCsi: z.string().default("v1.48.0-eksbuild.2"),
            })
            .prefault({}),
        redis: z
            .strictObject({
                nodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, { error: 'must be a cache node type such as "cache.t4g.small"' }).default("cache.t4g.small"),
                multiAz: flag().default(false),
            })
            .prefault({}),
        postgres: z
            .strictObject({
                instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: 'must be an RDS instance class such as "db.t4g.small"' }).default("db.t4g.small"),
                engineVersion: z.string().regex(/^1[4-7](\.\d+)?$/, { error: 'must be a PostgreSQL version from 14 to 17 such as "16"' }).default("16"),
                allocatedStorage: intInRange(20, 65536).default(20),
                multiAz: flag().default(false),
                deletionProtection: flag().default(false),
                backupRetentionDays: intInRange(1, 35).default(7),
            })
            .prefault({}),
        ...clusterSizeShape,
    })
    .check(checkClusterSize);

export type AwsSettings = z.output<typeof awsSchema>;
