/**
 * The managed node group: nodes in the private subnets only, IMDSv2 only, encrypted root
 * volumes, sized from config, and left alone when the cluster autoscaler changes its size.
 */
import * as aws from "@pulumi/aws/provider";
import * as ec2 from "@pulumi/aws/ec2";
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { ec2Architecture } from "../../../model/instances";
import { managedPolicyArn, Partition, serviceTrustPolicy } from "./partition";

/** Managed policies of the node role: join the cluster, run the pod network, pull from ECR. */
export const NODE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"] as const;

/** Properties Pulumi must never revert: the cluster autoscaler owns the current size. */
export const NODE_GROUP_IGNORE_CHANGES = ["scalingConfig.desiredSize"] as const;

/** The EKS AMI type for an instance type: Graviton families (model/instances.ts) need the ARM image. */
export function amiTypeFor(instanceType: string): "AL2023_ARM_64_STANDARD" | "AL2023_x86_64_STANDARD" {
    return ec2Architecture(instanceType) === "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
}

/**
 * The tags the cluster autoscaler discovers node groups by (--node-group-auto-discovery) and
 * its IAM policy is conditioned on. EKS puts the same two on the Auto Scaling group it creates
 * for a managed node group; they are set on the node group too so the plan shows them.
 */
export function autoscalerDiscoveryTags(clusterName: string): Record<string, string> {
    return { "k8s.io/cluster-autoscaler/enabled": "true", [`k8s.io/cluster-autoscaler/${clusterName}`]: "owned" };
}

/** Node group sizing from config. */
export interface NodeGroupSize {
    readonly minClusterSize: number;
    readonly maxClusterSize: number;
    readonly desiredClusterSize: number;
}

/** The scaling block: min and max bound the autoscaler; desired is only the size at creation. */
export function scalingConfig(size: NodeGroupSize): { minSize: number; maxSize: number; desiredSize: number } {
    if (size.minClusterSize > size.maxClusterSize)
        throw new Error(`scalingConfig: minClusterSize ${size.minClusterSize} is above maxClusterSize ${size.maxClusterSize}`);
    const desired = Math.min(Math.max(size.desiredClusterSize, size.minClusterSize), size.maxClusterSize);
    return { minSize: size.minClusterSize, maxSize: size.maxClusterSize, desiredSize: desired };
}

/** Options of the node group resource (pure, so the autoscaler-safety is testable without Pulumi). */
export function nodeGroupOptions(base: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
    return { ...base, ignoreChanges: [...NODE_GROUP_IGNORE_CHANGES] };
}

/** Launch template settings: IMDSv2 only, one hop (pods cannot borrow the node role), encrypted gp3 root volume. */
export function launchTemplateSettings(diskSizeGb: number) {
    return {
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [
            { deviceName: "/dev/xvda", ebs: { volumeSize: diskSizeGb, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
        ],
    };
}

/** Arguments of {@link EksNodeGroup}. */
export interface EksNodeGroupArgs extends NodeGroupSize {
    readonly clusterName: pulumi.Input<string>;
    /** The cluster's name as config derives it, for the autoscaler's discovery tag keys. */
    readonly discoveryClusterName: string;
    readonly kubernetesVersion: string;
    readonly partition: Partition;
    readonly instanceType: string;
    readonly diskSizeGb: number;
    /** The private subnets: nodes never get a public address. */
    readonly subnetIds: pulumi.Input<string>[];
    readonly provider: aws.Provider;
    /** What nodes need before they can become Ready (the pod network add-ons). Default none. */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** A managed node group and its IAM role. */
export class EksNodeGroup extends pulumi.ComponentResource {
    public readonly nodeGroup: eks.NodeGroup;

    constructor(name: string, args: EksNodeGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:EksNodeGroup", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        const scaling = scalingConfig(args);

        const role = new iam.Role(`${name}-role`, { assumeRolePolicy: serviceTrustPolicy(args.partition, "ec2") }, child);
        const grants = NODE_POLICIES.map(
            (policy) =>
                new iam.RolePolicyAttachment(
                    `${name}-${policy}`,
                    { role: role.name, policyArn: managedPolicyArn(args.partition, policy) },
                    child,
                ),
        );
        const template = new ec2.LaunchTemplate(
            `${name}-template`,
            { ...launchTemplateSettings(args.diskSizeGb), updateDefaultVersion: true },
            child,
        );

        this.nodeGroup = new eks.NodeGroup(
            `${name}-nodes`,
            {
                clusterName: args.clusterName,
                version: args.kubernetesVersion,
                nodeRoleArn: role.arn,
                subnetIds: args.subnetIds,
                instanceTypes: [args.instanceType],
                amiType: amiTypeFor(args.instanceType),
                capacityType: "ON_DEMAND",
                scalingConfig: scaling,
                updateConfig: { maxUnavailable: 1 },
                launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
                labels: { "platform/node-group": name },
                tags: autoscalerDiscoveryTags(args.discoveryClusterName),
            },
            nodeGroupOptions({ ...child, dependsOn: [...grants, ...(args.dependsOn ?? [])] }),
        );
        this.registerOutputs({ nodeGroupName: this.nodeGroup.nodeGroupName });
    }
}
