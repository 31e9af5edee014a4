/**
 * The `aws` target: a VPC, an EKS cluster with a managed node group and managed add-ons
 * (metrics-server among them), the Cluster Autoscaler acting on the node group, the VPA
 * recommender when a service asks for recommendations, ECR repositories and managed
 * Redis/PostgreSQL, all through one explicit aws provider, handed to the rest of the program as
 * a {@link KubernetesPlatform}.
 */
import * as aws from "@pulumi/aws/provider";
import * as kms from "@pulumi/aws/kms";
import * as storagev1 from "@pulumi/kubernetes/storage/v1";
import { Provider as K8sProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesPlatform, WayIn } from "../platform";
import { addonSpecs, EksAddons } from "./addons";
import { ClusterAutoscaler } from "./clusterAutoscaler";
import { AwsManagedData } from "./data";
import { EksControlPlane } from "./eks";
import { eksKubeconfig } from "./kubeconfig";
import { AwsNetwork } from "./network";
import { EksNodeGroup } from "./nodegroup";
import { eksClusterName } from "../../../model/awsNames";
import { partitionOf } from "./partition";
import { EcrRegistry } from "./registry";
import { VpaRecommender } from "../vpaRecommender";
import type { AwsSettings } from "../../../model/targets";

/** StorageClass the platform offers for volumes: gp3 through the EBS CSI driver. */
export const STORAGE_CLASS = "gp3";

const LB = "service.beta.kubernetes.io/aws-load-balancer";

/**
 * How traffic gets in: a Network Load Balancer per public service, internet-facing only when
 * source ranges are configured (the Service then admits only those), internal otherwise.
 */
export function awsWayIn(sourceRanges: readonly string[]): WayIn {
    const internetFacing = sourceRanges.length > 0;
    const annotations: Record<string, string> = {
        [`${LB}-type`]: "nlb",
        [`${LB}-scheme`]: internetFacing ? "internet-facing" : "internal",
        [`${LB}-cross-zone-load-balancing-enabled`]: "true",
    };
    if (!internetFacing) annotations[`${LB}-internal`] = "true";
    return { kind: "loadBalancer", annotations, address: "hostname", sourceRanges: [...sourceRanges] };
}

/** Arguments of {@link AwsCluster}. */
export interface AwsClusterArgs {
    readonly settings: AwsSettings;
    /** Stack name: part of the cluster name, which tags and repository names carry. */
    readonly stack: string;
    /** CIDRs allowed through the load balancer (platform:app.allowedSourceRanges); empty keeps it internal. */
    readonly allowedSourceRanges: readonly string[];
    /** PostgreSQL database the app uses. */
    readonly database: string;
    /** Every image the stack builds, for one ECR repository each. */
    readonly imageNames: readonly string[];
    /** Whether any service has a VerticalPodAutoscaler (app.vpa not off): then the recommender and its CRDs run. */
    readonly vpa: boolean;
}

/** An EKS cluster and its surroundings behind the platform seam. */
export class AwsCluster extends pulumi.ComponentResource {
    public readonly platform: KubernetesPlatform;

    constructor(name: string, args: AwsClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:AwsCluster", name, {}, opts);
        const s = args.settings;
        const clusterName = eksClusterName(pulumi.getProject(), args.stack);
        const partition = partitionOf(s.region);
        const provider = new aws.Provider(
            `${name}-provider`,
            { region: s.region, defaultTags: { tags: { "platform:cluster": clusterName, "platform:managed-by": "pulumi" } } },
            { parent: this },
        );
        const within = { parent: this };

        const network = new AwsNetwork(
            `${name}-network`,
            { clusterName, region: s.region, vpcCidr: s.vpcNetworkCidr, zones: s.availabilityZones, natGateways: s.natGateways, provider },
            within,
        );
        const controlPlane = new EksControlPlane(
            `${name}-eks`,
            {
                clusterName,
                partition,
                kubernetesVersion: s.kubernetesVersion,
                subnetIds: network.privateSubnetIds,
                endpointPublicAccessCidrs: s.endpointPublicAccessCidrs,
                adminRoleArns: s.adminRoleArns,
                logRetentionDays: s.logRetentionDays,
                provider,
            },
            within,
        );
        const cluster = controlPlane.cluster;
        const addons = addonSpecs(s.addons);
        const addonArgs = {
            clusterName: cluster.name,
            partition,
            oidcProviderArn: controlPlane.oidcProviderArn,
            oidcIssuer: controlPlane.oidcIssuer,
            provider,
        };
        const baseAddons = new EksAddons(
            `${name}-base-addons`,
            { ...addonArgs, addons: addons.filter((a) => a.phase === "beforeNodes") },
            within,
        );
        const nodes = new EksNodeGroup(
            `${name}-nodegroup`,
            {
                clusterName: cluster.name,
                discoveryClusterName: clusterName,
                kubernetesVersion: s.kubernetesVersion,
                partition,
                instanceType: s.eksNodeInstanceType,
                diskSizeGb: s.nodeDiskSizeGb,
                subnetIds: network.privateSubnetIds,
                minClusterSize: s.minClusterSize,
                maxClusterSize: s.maxClusterSize,
                desiredClusterSize: s.desiredClusterSize,
                provider,
                dependsOn: [baseAddons],
            },
            within,
        );
        const workloadAddons = new EksAddons(
            `${name}-addons`,
            { ...addonArgs, addons: addons.filter((a) => a.phase === "afterNodes"), dependsOn: [nodes.nodeGroup] },
            within,
        );

        const dataKey = new kms.Key(
            `${name}-data-key`,
            {
                description: `At-rest encryption of ECR, ElastiCache and RDS of ${clusterName}`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
            },
            { parent: this, provider },
        );
        const registry = new EcrRegistry(
            `${name}-registry`,
            { clusterName, imageNames: args.imageNames, kmsKeyArn: dataKey.arn, keepImages: s.ecrKeepImages, provider },
            within,
        );
        const data = new AwsManagedData(
            `${name}-data`,
            {
                clusterName,
                vpcId: network.vpcId,
                vpcCidr: network.vpcCidr,
                subnetIds: network.privateSubnetIds,
                nodeSecurityGroupId: controlPlane.clusterSecurityGroupId,
                kmsKeyArn: dataKey.arn,
                redis: s.redis,
                postgres: s.postgres,
                database: args.database,
                provider,
            },
            within,
        );

        const kubeconfig = pulumi.secret(
            pulumi
                .all([cluster.name, cluster.endpoint, cluster.certificateAuthority])
                .apply(([nameOut, endpoint, ca]) =>
                    eksKubeconfig({ clusterName: nameOut, endpoint, certificateAuthority: ca.data ?? "", region: s.region }),
                ),
        );
        const k8sProvider = new K8sProvider(`${name}-k8s`, { kubeconfig }, within);
        const storageClass = new storagev1.StorageClass(
            `${name}-${STORAGE_CLASS}`,
            {
                metadata: { name: STORAGE_CLASS },
                provisioner: "ebs.csi.aws.com",
                parameters: { type: "gp3", encrypted: "true" },
                volumeBindingMode: "WaitForFirstConsumer",
                allowVolumeExpansion: true,
                reclaimPolicy: "Delete",
            },
            { parent: this, provider: k8sProvider, dependsOn: [workloadAddons] },
        );
        new ClusterAutoscaler(
            `${name}-cluster-autoscaler`,
            {
                clusterName,
                region: s.region,
                kubernetesVersion: s.kubernetesVersion,
                settings: s.clusterAutoscaler,
                oidcProviderArn: controlPlane.oidcProviderArn,
                oidcIssuer: controlPlane.oidcIssuer,
                awsProvider: provider,
                k8sProvider,
                dependsOn: [nodes.nodeGroup],
            },
            within,
        );
        // The recommender learns from the metrics API, which the metrics-server add-on serves.
        const recommender = args.vpa
            ? new VpaRecommender(`${name}-vpa-recommender`, { provider: k8sProvider, dependsOn: [workloadAddons] }, within)
            : undefined;

        this.platform = {
            kind: "kubernetes",
            cloud: "aws",
            provider: k8sProvider,
            kubeconfig,
            clusterName: cluster.name,
            registry: { url: registry.url, repositories: registry.repositories, auth: registry.auth },
            wayIn: awsWayIn(args.allowedSourceRanges),
            storageClassName: STORAGE_CLASS,
            managedData: data.endpoints,
            // The app's VerticalPodAutoscalers need their CRDs.
            workloadDependencies: [nodes.nodeGroup, workloadAddons, storageClass, ...(recommender?.crds ?? [])],
        };
        this.registerOutputs({ clusterName: cluster.name, registryUrl: registry.url });
    }
}
