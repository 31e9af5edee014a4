/**
 * The EKS control plane: its IAM role, the KMS key that encrypts Kubernetes secrets, control
 * plane logs, access entries for administrators, and the OIDC provider for IRSA.
 */
import * as aws from "@pulumi/aws/provider";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as pulumi from "@pulumi/pulumi";
import { managedPolicyArn, Partition, serviceTrustPolicy } from "./partition";
import { iamRoleArnParts } from "../../../model/awsNames";

/** Control plane log types sent to CloudWatch: who called the API, what it did, how they authenticated. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator"] as const;

/**
 * SHA-1 of the root CA behind every oidc.eks.<region>.amazonaws.com issuer. IAM no longer checks
 * it for EKS issuers (it trusts its own CA store), but the API still wants one on the provider.
 */
export const EKS_OIDC_THUMBPRINT = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280";

/** The API endpoint settings: always reachable from the VPC; from the internet only from the listed CIDRs. */
export function endpointAccess(publicAccessCidrs: readonly string[]): {
    endpointPrivateAccess: boolean;
    endpointPublicAccess: boolean;
    publicAccessCidrs?: string[];
} {
    if (publicAccessCidrs.length === 0) return { endpointPrivateAccess: true, endpointPublicAccess: false };
    return { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: [...publicAccessCidrs] };
}

/** ARN of an EKS access policy such as "AmazonEKSClusterAdminPolicy". */
export function accessPolicyArn(partition: Partition, policy: string): string {
    return `arn:${partition.partition}:eks::aws:cluster-access-policy/${policy}`;
}

/**
 * A stable child-name suffix for an admin role ARN: account and role name, so reordering the
 * list in config neither replaces nor re-creates access entries.
 */
export function adminEntrySuffix(roleArn: string): string {
    const parts = iamRoleArnParts(roleArn);
    // Unreachable from config: the edge checks aws.adminRoleArns against the same IAM_ROLE_ARN.
    if (parts === undefined) throw new Error(`adminEntrySuffix: ${roleArn} is not an IAM role ARN`);
    return `${parts.account}-${parts.name}`;
}

/** CloudWatch log group EKS writes control plane logs to (created here so retention is ours). */
export function controlPlaneLogGroupName(clusterName: string): string {
    return `/aws/eks/${clusterName}/cluster`;
}

/** Arguments of {@link EksControlPlane}. */
export interface EksControlPlaneArgs {
    readonly clusterName: string;
    readonly partition: Partition;
    readonly kubernetesVersion: string;
    /** Subnets for the control plane's network interfaces (the private ones). */
    readonly subnetIds: pulumi.Input<string>[];
    readonly endpointPublicAccessCidrs: readonly string[];
    readonly adminRoleArns: readonly string[];
    readonly logRetentionDays: number;
    readonly provider: aws.Provider;
}

/** An EKS cluster with API authentication, encrypted secrets, control plane logs and IRSA. */
export class EksControlPlane extends pulumi.ComponentResource {
    public readonly cluster: eks.Cluster;
    /** Security group EKS attaches to the control plane and to managed nodes. */
    public readonly clusterSecurityGroupId: pulumi.Output<string>;
    public readonly oidcProviderArn: pulumi.Output<string>;
    /** Issuer URL of the cluster's service account tokens (https://oidc.eks…). */
    public readonly oidcIssuer: pulumi.Output<string>;
    /** Resources that grant administrators access (created after the cluster). */
    public readonly accessResources: pulumi.Resource[];

    constructor(name: string, args: EksControlPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:EksControlPlane", name, {}, opts);
        const child = { parent: this, provider: args.provider };

        const secretsKey = new kms.Key(
            `${name}-secrets-key`,
            {
                description: `Envelope encryption of Kubernetes secrets in EKS cluster ${args.clusterName}`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
            },
            child,
        );
        const role = new iam.Role(
            `${name}-role`,
            { assumeRolePolicy: serviceTrustPolicy(args.partition, "eks", ["sts:AssumeRole", "sts:TagSession"]) },
            child,
        );
        const policy = new iam.RolePolicyAttachment(
            `${name}-role-policy`,
            { role: role.name, policyArn: managedPolicyArn(args.partition, "AmazonEKSClusterPolicy") },
            child,
        );
        const logs = new cloudwatch.LogGroup(
            `${name}-logs`,
            { name: controlPlaneLogGroupName(args.clusterName), retentionInDays: args.logRetentionDays },
            child,
        );

        this.cluster = new eks.Cluster(
            `${name}-cluster`,
            {
                name: args.clusterName,
                version: args.kubernetesVersion,
                roleArn: role.arn,
                vpcConfig: { subnetIds: args.subnetIds, ...endpointAccess(args.endpointPublicAccessCidrs) },
                accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
                // The EKS-managed add-ons below own vpc-cni, kube-proxy and CoreDNS; nothing self-managed to fight with.
                bootstrapSelfManagedAddons: false,
                enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
                encryptionConfig: { provider: { keyArn: secretsKey.arn }, resources: ["secrets"] },
                tags: { Name: args.clusterName },
            },
            { ...child, dependsOn: [policy, logs] },
        );

        this.accessResources = args.adminRoleArns.flatMap((roleArn) => {
            const suffix = adminEntrySuffix(roleArn);
            const entry = new eks.AccessEntry(
                `${name}-admin-${suffix}`,
                { clusterName: this.cluster.name, principalArn: roleArn, type: "STANDARD" },
                child,
            );
            const association = new eks.AccessPolicyAssociation(
                `${name}-admin-${suffix}-policy`,
                {
                    clusterName: this.cluster.name,
                    principalArn: roleArn,
                    policyArn: accessPolicyArn(args.partition, "AmazonEKSClusterAdminPolicy"),
                    accessScope: { type: "cluster" },
                },
                { ...child, dependsOn: [entry] },
            );
            return [entry, association];
        });

        this.oidcIssuer = this.cluster.identities.apply((identities) => identities[0]?.oidcs?.[0]?.issuer ?? "");
        const oidc = new iam.OpenIdConnectProvider(
            `${name}-oidc`,
            { url: this.oidcIssuer, clientIdLists: ["sts.amazonaws.com"], thumbprintLists: [EKS_OIDC_THUMBPRINT] },
            child,
        );
        this.oidcProviderArn = oidc.arn;
        this.clusterSecurityGroupId = this.cluster.vpcConfig.clusterSecurityGroupId.apply((id) => id ?? "");
        this.registerOutputs({ clusterName: this.cluster.name, oidcProviderArn: this.oidcProviderArn });
    }
}
