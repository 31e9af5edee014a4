/** `platform:aws`: EKS in a new VPC, ECR, ElastiCache Redis and RDS PostgreSQL. */
import { z } from "zod";
import { IAM_ROLE_ARN } from "../../model/awsNames";
import {
    CLUSTER_AUTOSCALER_EXPANDERS,
    CLUSTER_AUTOSCALER_IMAGE_REF,
    CLUSTER_AUTOSCALER_IMAGES,
    CLUSTER_AUTOSCALER_REPOSITORY,
    clusterAutoscalerImageFor,
} from "../../model/clusterAutoscaler";
import { checkClusterSize, clusterSizeShape } from "./clusterSize";
import { parseCidr } from "../../model/network";
import { cidr, clientCidrList, flag, intInRange, kubernetesVersion, oneOf } from "./rules";

/** AWS region codes: "eu-west-1", "us-gov-west-1", "cn-north-1", "us-isob-east-1". */
export const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/**
 * EC2 instance type names: a family and a size joined by a dot; both may carry hyphenated
 * parts ("t3.medium", "m7i-flex.large", "c7i.metal-24xl", "u-6tb1.metal").
 */
export const INSTANCE_TYPE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*$/;

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const LOG_RETENTION_RULE = `must be one of ${LOG_RETENTION_DAYS.join(", ")} (days CloudWatch Logs accepts)`;

const instanceType = (example: string) =>
    z
        .string({ error: `must be an EC2 instance type name such as "${example}" (see aws ec2 describe-instance-types)` })
        .regex(INSTANCE_TYPE, {
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

interface AutoscalerImage {
    readonly kubernetesVersion: string;
    readonly clusterAutoscaler: { readonly image: string };
}

/**
 * The cluster autoscaler runs the cluster's minor: an image given in config must carry a
 * v<kubernetesVersion>.N tag, and without one the program must have a pin for that minor.
 */
export function checkClusterAutoscalerImage(ctx: z.core.ParsePayload<AutoscalerImage>): void {
    const { kubernetesVersion: version, clusterAutoscaler } = ctx.value;
    const example = `${CLUSTER_AUTOSCALER_REPOSITORY}:v${version}.N@sha256:<digest> (crane digest ${CLUSTER_AUTOSCALER_REPOSITORY}:v${version}.N)`;
    if (clusterAutoscaler.image === "") {
        if (clusterAutoscalerImageFor(version) !== undefined) return;
        ctx.issues.push({
            code: "custom",
            path: ["kubernetesVersion"],
            input: version,
            message: `has no pinned cluster-autoscaler image (the program pins ${Object.keys(CLUSTER_AUTOSCALER_IMAGES).join(", ")}); set platform:aws.clusterAutoscaler.image to ${example}, or use a pinned version`,
        });
        return;
    }
    const minor = CLUSTER_AUTOSCALER_IMAGE_REF.exec(clusterAutoscaler.image)?.[1];
    if (minor === version) return;
    ctx.issues.push({
        code: "custom",
        path: ["clusterAutoscaler", "image"],
        input: clusterAutoscaler.image,
        message:
            minor === undefined
                ? `must be a cluster-autoscaler image pinned by tag and digest such as ${example}`
                : `must match kubernetesVersion (${version}): the autoscaler supports only its own minor; use ${example}`,
    });
}

export const awsSchema = z
    .strictObject({
        region: z
            .string({ error: 'must be an AWS region code such as "eu-west-1" (see aws ec2 describe-regions)' })
            .regex(AWS_REGION, { error: 'must be an AWS region code such as "eu-west-1" (lowercase, see aws ec2 describe-regions)' })
            .describe(
                "Region of every resource; it also sets the ARN partition of managed policy ARNs and service principals (the default aws provider is disabled).",
            ),
        availabilityZones: intInRange(2, 3)
            .default(2)
            .describe(
                "Zones the VPC spans, a public and a private subnet each: the first of the region's zones without opt-in, sorted; a region with fewer zones gets an error naming this key.",
            ),
        vpcNetworkCidr: vpcCidr()
            .default("10.0.0.0/16")
            .describe(
                "VPC range: the first three quarters hold the private subnets, one per zone, where nodes and pods take their addresses; the last quarter holds the public subnets. Do not overlap networks you will peer with.",
            ),
        natGateways: oneOf(["single", "perZone"])
            .default("single")
            .describe(
                "single: one NAT gateway, cheaper, but private egress stops if its zone fails; perZone: one per zone, each zone routing through its own (use it for production).",
            ),
        kubernetesVersion: kubernetesVersion()
            .default("1.33")
            .describe(
                "EKS control plane and node group version; upgrade one minor at a time, and update addons.kubeProxy with it (the cluster autoscaler image follows it: a minor without a pin needs clusterAutoscaler.image).",
            ),
        eksNodeInstanceType: instanceType("t3.medium")
            .default("t3.medium")
            .describe(
                "Node instance type; Graviton families (t4g, m7g, c6gn, …) get the AL2023 ARM image and everything else AL2023 x86_64, so build images for the matching platform (platform:build.platform).",
            ),
        nodeDiskSizeGb: intInRange(20, 16384).default(50).describe("Root volume of each node (gp3, encrypted), in GiB."),
        endpointPublicAccessCidrs: clientCidrList({
            key: "platform:aws.endpointPublicAccessCidrs",
            what: "the EKS API endpoint",
            narrow: true,
            publicOnly: true,
        })
            .max(40, { error: "must list at most 40 CIDRs (an EKS limit)" })
            .default([])
            .describe(
                "CIDRs that may reach the Kubernetes API from the internet: public blocks (not documentation, private or other special-purpose ones), each a /8 or narrower and together not every address; empty makes the endpoint private, reachable only from the VPC (then run pulumi up from inside it, e.g. a CI runner in the VPC).",
            ),
        adminRoleArns: z
            .array(
                z.string().regex(IAM_ROLE_ARN, {
                    error: 'must be an IAM role ARN such as "arn:aws:iam::123456789012:role/platform-admin" (an optional path, a name of at most 64 of A-Z a-z 0-9 +=,.@_-)',
                }),
            )
            .default([])
            .describe("IAM roles granted AmazonEKSClusterAdminPolicy through EKS access entries, besides the cluster creator."),
        logRetentionDays: z
            .number({ error: LOG_RETENTION_RULE })
            .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), { error: LOG_RETENTION_RULE })
            .default(90)
            .describe(
                "Days CloudWatch keeps the control plane logs (api, audit, authenticator) in the log group /aws/eks/<cluster>/cluster.",
            ),
        ecrKeepImages: intInRange(1, 1000)
            .default(30)
            .describe("Images each ECR repository keeps; older ones expire, so keep enough to roll back."),
        addons: z
            .strictObject({
                vpcCni: addonVersion("vpc-cni", "v1.20.4-eksbuild.1")
                    .default("v1.20.4-eksbuild.1")
                    .describe("vpc-cni add-on version (NetworkPolicy enforcement on)."),
                coreDns: addonVersion("coredns", "v1.12.4-eksbuild.1").default("v1.12.4-eksbuild.1").describe("coredns add-on version."),
                kubeProxy: addonVersion("kube-proxy", "v1.33.3-eksbuild.6")
                    .default("v1.33.3-eksbuild.6")
                    .describe("kube-proxy add-on version; it must match kubernetesVersion (v<kubernetesVersion>.Z-eksbuild.N)."),
                ebsCsi: addonVersion("aws-ebs-csi-driver", "v1.48.0-eksbuild.2")
                    .default("v1.48.0-eksbuild.2")
                    .describe("aws-ebs-csi-driver add-on version (IRSA role with AmazonEBSCSIDriverPolicy)."),
                metricsServer: addonVersion("metrics-server", "v0.8.0-eksbuild.2")
                    .default("v0.8.0-eksbuild.2")
                    .describe(
                        "metrics-server add-on version (an EKS community add-on): the metrics API the HorizontalPodAutoscaler and the VPA recommender read; the default is the version describe-addon-versions listed for Kubernetes 1.33 beside the other defaults.",
                    ),
            })
            .prefault({})
            .describe("Versions of the EKS managed add-ons, pinned so an upgrade is a reviewed change."),
        clusterAutoscaler: z
            .strictObject({
                expander: oneOf(CLUSTER_AUTOSCALER_EXPANDERS)
                    .default("least-waste")
                    .describe(
                        "Which node group grows when several could take a pending pod: least-waste (the one left with the least idle CPU and memory), most-pods (the one that schedules the most pending pods) or random. One group today, so it matters once you add groups.",
                    ),
                scaleDownUnneededMinutes: intInRange(1, 60)
                    .default(10)
                    .describe(
                        "Minutes a node must stay unneeded (requests under half its capacity, pods movable) before the autoscaler drains and removes it; shorter saves money, longer rides out bursts.",
                    ),
                scaleDownDelayAfterAddMinutes: intInRange(0, 60)
                    .default(10)
                    .describe(
                        "Minutes after a scale-up before any scale-down is considered, so a node just added is not removed in the same burst.",
                    ),
                image: z
                    .string({ error: "must be an image reference string" })
                    .default("")
                    .describe(
                        "Cluster Autoscaler image, tag and digest (a mirror is fine); its tag's minor must be kubernetesVersion. Empty: the program's pin for kubernetesVersion (model/clusterAutoscaler.ts: v1.32.2 on 1.32, v1.33.1 on 1.33).",
                    ),
            })
            .prefault({})
            .describe(
                "The Kubernetes Cluster Autoscaler the stack runs in kube-system: it adds nodes (up to maxClusterSize) when pods are pending and removes unneeded ones (down to minClusterSize), through an IRSA role that may resize only this cluster's node groups.",
            ),
        redis: z
            .strictObject({
                nodeType: z
                    .string()
                    .regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, { error: 'must be a cache node type such as "cache.t4g.small"' })
                    .default("cache.t4g.small")
                    .describe("ElastiCache node type."),
                multiAz: flag()
                    .default(false)
                    .describe("true: a primary and a replica in another zone, with automatic failover; false: one node."),
            })
            .prefault({})
            .describe("The app's Redis, on ElastiCache."),
        postgres: z
            .strictObject({
                instanceClass: z
                    .string()
                    .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: 'must be an RDS instance class such as "db.t4g.small"' })
                    .default("db.t4g.small")
                    .describe("RDS instance class."),
                engineVersion: z
                    .string()
                    .regex(/^1[4-7](\.\d+)?$/, { error: 'must be a PostgreSQL version from 14 to 17 such as "16"' })
                    .default("16")
                    .describe(
                        "PostgreSQL version, optionally with a minor; a major-only value takes RDS's default minor, and minor upgrades are automatic.",
                    ),
                allocatedStorage: intInRange(20, 65536).default(20).describe("Storage in GiB (gp3, encrypted with the stack's data key)."),
                multiAz: flag().default(false).describe("Whether a synchronous standby runs in another zone."),
                deletionProtection: flag()
                    .default(false)
                    .describe(
                        "Whether RDS refuses to delete the instance; a protected instance also keeps a final snapshot (<cluster>-postgres-final) when it is deleted.",
                    ),
                backupRetentionDays: intInRange(1, 35)
                    .default(7)
                    .describe("Days of automated backups, which is the point-in-time recovery window."),
            })
            .prefault({})
            .describe("The app's PostgreSQL, on RDS."),
        minClusterSize: clusterSizeShape.minClusterSize.describe("Lower bound of the node group; at most maxClusterSize."),
        maxClusterSize: clusterSizeShape.maxClusterSize.describe(
            "Upper bound of the node group; at least minClusterSize. The cluster autoscaler adds nodes up to it while pods are pending.",
        ),
        desiredClusterSize: clusterSizeShape.desiredClusterSize.describe(
            "Node count when the group is created, between minClusterSize and maxClusterSize; later changes are ignored, so a count set by hand or by an autoscaler is never reverted (to force one, use aws eks update-nodegroup-config).",
        ),
    })
    .check(checkClusterSize)
    .check(checkKubeProxyVersion)
    .check(checkClusterAutoscalerImage);
