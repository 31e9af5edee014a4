/** `platform:aws`: EKS in a new VPC, ECR, ElastiCache Redis and RDS PostgreSQL. */
import { z } from "zod";
import { checkClusterSize, clusterSizeShape } from "./clusterSize";
import { cidr, flag, intInRange, kubernetesVersion, oneOf, parseCidr } from "./rules";

/** AWS region codes: "eu-west-1", "us-gov-west-1", "cn-north-1", "us-isob-east-1". */
export const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/**
 * EC2 instance type names: a family and a size joined by a dot; both may carry hyphenated
 * parts ("t3.medium", "m7i-flex.large", "c7i.metal-24xl", "u-6tb1.metal").
 */
export const INSTANCE_TYPE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*$/;

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const LOG_RETENTION_RULE = `must be one of ${LOG_RETENTION_DAYS.join(", ")} (days CloudWatch Logs accepts)`;

const instanceType = (example: string) =>
    z.string({ error: `must be an EC2 instance type name such as "${example}" (see aws ec2 describe-instance-types)` }).regex(INSTANCE_TYPE, {
        error: `must be an EC2 instance type name such as "${example}" (family, a dot, size; see aws ec2 describe-instance-types)`,
    });

const ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;
const addonVersion = (addon: string, example: string) =>
    z.string().regex(ADDON_VERSION, {
        error: `must be an EKS add-on version such as "${example}" (list them with: aws eks describe-addon-versions --addon-name ${addon} --kubernetes-version <version>)`,
    });

const vpcCidr = () => {
    const rule = 'must be an IPv4 CIDR block from /16 to /20 such as "10.0.0.0/16" (nodes and pods take their addresses from it)';
    return cidr().refine(
        (v) => {
            const parsed = parseCidr(v);
            return parsed !== undefined && parsed.prefix >= 16 && parsed.prefix <= 20;
        },
        { error: rule },
    );
};

interface AddonVersions {
    readonly kubernetesVersion: string;
    readonly addons: { readonly kubeProxy: string };
}

/** kube-proxy must run the cluster's minor version: "v1.33.x-eksbuild.N" on Kubernetes 1.33. */
export function checkKubeProxyVersion(ctx: z.core.ParsePayload<AddonVersions>): void {
    const { kubernetesVersion: version, addons } = ctx.value;
    if (!addons.kubeProxy.startsWith(`v${version}.`)) {
        ctx.issues.push({
            code: "custom",
            path: ["addons", "kubeProxy"],
            input: addons.kubeProxy,
            message: `must match kubernetesVersion (${version}): use a v${version}.x-eksbuild.N version (aws eks describe-addon-versions --addon-name kube-proxy --kubernetes-version ${version})`,
        });
    }
}

export const awsSchema = z
    .strictObject({
        /** Region of every resource; the explicit aws provider uses it (the default provider is disabled). */
        region: z
            .string({ error: 'must be an AWS region code such as "eu-west-1" (see aws ec2 describe-regions)' })
            .regex(AWS_REGION, { error: 'must be an AWS region code such as "eu-west-1" (lowercase, see aws ec2 describe-regions)' }),
        /** Zones the VPC spans (a public and a private subnet each). */
        availabilityZones: intInRange(2, 3).default(2),
        vpcNetworkCidr: vpcCidr().default("10.0.0.0/16"),
        /** One NAT gateway for the VPC ("single", cheaper) or one per zone ("perZone", survives a zone loss). */
        natGateways: oneOf(["single", "perZone"]).default("single"),
        kubernetesVersion: kubernetesVersion().default("1.33"),
        eksNodeInstanceType: instanceType("t3.medium").default("t3.medium"),
        /** Root volume of each node (encrypted gp3), in GiB. */
        nodeDiskSizeGb: intInRange(20, 16384).default(50),
        /** CIDRs allowed to reach the public API endpoint; empty turns the public endpoint off. */
        endpointPublicAccessCidrs: z.array(cidr()).max(40, { error: "must list at most 40 CIDRs (an EKS limit)" }).default([]),
        /** IAM role ARNs granted cluster admin through EKS access entries. */
        adminRoleArns: z.array(z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, { error: 'must be an IAM role ARN such as "arn:aws:iam::123456789012:role/platform-admin"' })).default([]),
        /** How long CloudWatch keeps the control plane logs (api, audit, authenticator). */
        logRetentionDays: z
            .number({ error: LOG_RETENTION_RULE })
            .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), { error: LOG_RETENTION_RULE })
            .default(90),
        /** Images each ECR repository keeps; older ones expire. */
        ecrKeepImages: intInRange(1, 1000).default(30),
        addons: z
            .strictObject({
                vpcCni: addonVersion("vpc-cni", "v1.20.4-eksbuild.1").default("v1.20.4-eksbuild.1"),
                coreDns: addonVersion("coredns", "v1.12.4-eksbuild.1").default("v1.12.4-eksbuild.1"),
                kubeProxy: addonVersion("kube-proxy", "v1.33.3-eksbuild.6").default("v1.33.3-eksbuild.6"),
                ebsCsi: addonVersion("aws-ebs-csi-driver", "v1.48.0-eksbuild.2").default("v1.48.0-eksbuild.2"),
            })
            .prefault({}),
        redis: z
            .strictObject({
                nodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, { error: 'must be a cache node type such as "cache.t4g.small"' }).default("cache.t4g.small"),
                /** A replica in a second zone with automatic failover. */
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
    .check(checkClusterSize)
    .check(checkKubeProxyVersion);

export type AwsSettings = z.output<typeof awsSchema>;
