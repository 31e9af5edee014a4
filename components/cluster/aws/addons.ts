/**
 * EKS-managed add-ons with pinned versions: the pod network (vpc-cni with network policy
 * enforcement), kube-proxy, CoreDNS, the EBS CSI driver (with its own IRSA role) and
 * metrics-server (the metrics API the HorizontalPodAutoscaler and the VPA recommender read).
 */
import * as aws from "@pulumi/aws/provider";
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { managedPolicyArn, Partition } from "./partition";
import type { AwsSettings } from "../../../model/targets";

/** A service account that gets an IAM role through IRSA. */
export interface IrsaBinding {
    readonly namespace: string;
    readonly serviceAccount: string;
    /** Managed policy names, e.g. "service-role/AmazonEBSCSIDriverPolicy". */
    readonly policies: readonly string[];
}

/** One add-on to install. */
export interface AddonSpec {
    /** EKS add-on name ("vpc-cni", "coredns", …). */
    readonly addonName: string;
    readonly version: string;
    /** JSON configuration values; undefined keeps the add-on defaults. */
    readonly configurationValues?: string;
    /** "beforeNodes": nodes need it to become Ready; "afterNodes": its pods need nodes to run on. */
    readonly phase: "beforeNodes" | "afterNodes";
    readonly irsa?: IrsaBinding;
}

/** vpc-cni configuration: its node agent enforces Kubernetes NetworkPolicies (the app ships default-deny policies). */
export const VPC_CNI_CONFIGURATION = JSON.stringify({ enableNetworkPolicy: "true" });

/** The add-ons of every cluster, with the versions from config. */
export function addonSpecs(versions: AwsSettings["addons"]): AddonSpec[] {
    return [
        { addonName: "vpc-cni", version: versions.vpcCni, configurationValues: VPC_CNI_CONFIGURATION, phase: "beforeNodes" },
        { addonName: "kube-proxy", version: versions.kubeProxy, phase: "beforeNodes" },
        { addonName: "coredns", version: versions.coreDns, phase: "afterNodes" },
        {
            addonName: "aws-ebs-csi-driver",
            version: versions.ebsCsi,
            phase: "afterNodes",
            irsa: {
                namespace: "kube-system",
                serviceAccount: "ebs-csi-controller-sa",
                policies: ["service-role/AmazonEBSCSIDriverPolicy"],
            },
        },
        // Without it the HPA sees <unknown> targets and never changes the replica count.
        { addonName: "metrics-server", version: versions.metricsServer, phase: "afterNodes" },
    ];
}

/**
 * Trust policy of an IRSA role: only the given service account of this cluster, presenting a
 * token meant for STS, may assume it.
 */
export function irsaTrustPolicy(
    oidcProviderArn: string,
    issuerUrl: string,
    binding: Pick<IrsaBinding, "namespace" | "serviceAccount">,
): string {
    const issuer = issuerUrl.replace(/^https:\/\//, "");
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Federated: oidcProviderArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        [`${issuer}:sub`]: `system:serviceaccount:${binding.namespace}:${binding.serviceAccount}`,
                        [`${issuer}:aud`]: "sts.amazonaws.com",
                    },
                },
            },
        ],
    });
}

/** Arguments of {@link EksAddons}. */
export interface EksAddonsArgs {
    readonly clusterName: pulumi.Input<string>;
    readonly addons: readonly AddonSpec[];
    readonly partition: Partition;
    readonly oidcProviderArn: pulumi.Input<string>;
    readonly oidcIssuer: pulumi.Input<string>;
    readonly provider: aws.Provider;
    /** What the add-ons wait for (the node group, for those whose pods need nodes). Default none. */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** A set of EKS-managed add-ons. */
export class EksAddons extends pulumi.ComponentResource {
    public readonly addons: eks.Addon[];

    constructor(name: string, args: EksAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:EksAddons", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        this.addons = args.addons.map((spec) => {
            let serviceAccountRoleArn: pulumi.Output<string> | undefined;
            const grants: pulumi.Resource[] = [];
            if (spec.irsa) {
                const binding = spec.irsa;
                const role = new iam.Role(
                    `${name}-${spec.addonName}-role`,
                    {
                        assumeRolePolicy: pulumi
                            .all([args.oidcProviderArn, args.oidcIssuer])
                            .apply(([arn, issuer]) => irsaTrustPolicy(arn, issuer, binding)),
                    },
                    child,
                );
                binding.policies.forEach((policy, i) =>
                    grants.push(
                        new iam.RolePolicyAttachment(
                            `${name}-${spec.addonName}-role-${i}`,
                            { role: role.name, policyArn: managedPolicyArn(args.partition, policy) },
                            child,
                        ),
                    ),
                );
                serviceAccountRoleArn = role.arn;
            }
            return new eks.Addon(
                `${name}-${spec.addonName}`,
                {
                    clusterName: args.clusterName,
                    addonName: spec.addonName,
                    addonVersion: spec.version,
                    configurationValues: spec.configurationValues,
                    serviceAccountRoleArn,
                    resolveConflictsOnCreate: "OVERWRITE",
                    resolveConflictsOnUpdate: "OVERWRITE",
                },
                // The add-on's pods use their role as soon as they start: grant it first.
                { ...child, dependsOn: [...(args.dependsOn ?? []), ...grants] },
            );
        });
        this.registerOutputs({});
    }
}
