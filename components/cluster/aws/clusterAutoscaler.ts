/**
 * The Kubernetes Cluster Autoscaler on EKS: it adds nodes to the managed node group (up to its
 * max) while pods are pending and removes unneeded ones (down to its min). It finds the group's
 * Auto Scaling group by the discovery tags EKS puts on it, and acts through an IRSA role that
 * may resize only groups owned by this cluster.
 */
import * as aws from "@pulumi/aws/provider";
import * as iam from "@pulumi/aws/iam";
import type * as k8s from "@pulumi/kubernetes";
import type { Provider as K8sProvider } from "@pulumi/kubernetes/provider";
import * as appsv1 from "@pulumi/kubernetes/apps/v1";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as rbacv1 from "@pulumi/kubernetes/rbac/v1";
import * as pulumi from "@pulumi/pulumi";
import { containerSecurityContext, podSecurityContext } from "../../app/kubernetes/hardening";
import { apiTokenMount, apiTokenVolume, SYSTEM_NAMESPACE, SYSTEM_UID, systemServiceAccount } from "../systemPods";
import { irsaTrustPolicy } from "./addons";
import { clusterAutoscalerImageFor } from "../../../model/clusterAutoscaler";
import type { ClusterAutoscalerSettings } from "../../../model/targets";

/** Name of the ServiceAccount, ClusterRole, Role, bindings and Deployment. */
export const CLUSTER_AUTOSCALER_NAME = "cluster-autoscaler";

/** Port of the autoscaler's metrics and /health-check. */
export const CLUSTER_AUTOSCALER_PORT = 8085;

/** Read-only calls the autoscaler makes to learn groups, instance types and templates: they take no resource. */
export const AUTOSCALER_DESCRIBE_ACTIONS = [
    "autoscaling:DescribeAutoScalingGroups",
    "autoscaling:DescribeAutoScalingInstances",
    "autoscaling:DescribeLaunchConfigurations",
    "autoscaling:DescribeScalingActivities",
    "autoscaling:DescribeTags",
    "ec2:DescribeImages",
    "ec2:DescribeInstanceTypes",
    "ec2:DescribeLaunchTemplateVersions",
    "ec2:GetInstanceTypesFromInstanceRequirements",
    "eks:DescribeNodegroup",
] as const;

/** The two calls that change capacity: granted only on groups tagged as owned by this cluster. */
export const AUTOSCALER_WRITE_ACTIONS = ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"] as const;

/** The tag key whose value "owned" marks an Auto Scaling group of `clusterName`. */
export function ownedTagKey(clusterName: string): string {
    return `k8s.io/cluster-autoscaler/${clusterName}`;
}

/**
 * The autoscaler's IAM policy: describe anything, resize only this cluster's groups. The
 * condition is on the group's tag rather than its ARN: a replaced node group gets a new ARN
 * suffix, and EKS tags every group it creates for the cluster.
 */
export function clusterAutoscalerPolicy(clusterName: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Sid: "Describe", Effect: "Allow", Action: [...AUTOSCALER_DESCRIBE_ACTIONS], Resource: "*" },
            {
                Sid: "ResizeOwnedGroups",
                Effect: "Allow",
                Action: [...AUTOSCALER_WRITE_ACTIONS],
                Resource: "*",
                Condition: { StringEquals: { [`aws:ResourceTag/${ownedTagKey(clusterName)}`]: "owned" } },
            },
        ],
    });
}

/** The image to run: the one config names, else the program's pin for the cluster's minor. */
export function clusterAutoscalerImage(settings: Pick<ClusterAutoscalerSettings, "image">, kubernetesVersion: string): string {
    if (settings.image !== "") return settings.image;
    const pinned = clusterAutoscalerImageFor(kubernetesVersion);
    // Unreachable from config: the edge refuses a kubernetesVersion without a pin and without an image.
    if (pinned === undefined)
        throw new Error(`clusterAutoscalerImage: no pinned cluster-autoscaler image for Kubernetes ${kubernetesVersion}`);
    return pinned;
}

/** Command-line flags of the autoscaler. */
export function clusterAutoscalerFlags(settings: ClusterAutoscalerSettings, clusterName: string): string[] {
    return [
        "--cloud-provider=aws",
        `--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,${ownedTagKey(clusterName)}`,
        `--expander=${settings.expander}`,
        // Groups with the same instance type and labels in different zones grow together, keeping zones even.
        "--balance-similar-node-groups=true",
        // The app's pods (and most hardened pods) have an emptyDir /tmp: with true, no node running
        // one could ever be removed. emptyDir holds scratch data only; PVCs are protected anyway.
        "--skip-nodes-with-local-storage=false",
        `--scale-down-unneeded-time=${settings.scaleDownUnneededMinutes}m`,
        `--scale-down-delay-after-add=${settings.scaleDownDelayAfterAddMinutes}m`,
        `--address=:${CLUSTER_AUTOSCALER_PORT}`,
    ];
}

type PolicyRule = k8s.types.input.rbac.v1.PolicyRule;
const READ = ["get", "list", "watch"];

/** Cluster-wide permissions: read what decides placement, evict pods and update nodes when draining. */
export function clusterAutoscalerClusterRules(): PolicyRule[] {
    return [
        { apiGroups: [""], resources: ["events", "endpoints"], verbs: ["create", "patch"] },
        { apiGroups: [""], resources: ["pods/eviction"], verbs: ["create"] },
        { apiGroups: [""], resources: ["pods/status"], verbs: ["update"] },
        { apiGroups: [""], resources: ["nodes"], verbs: [...READ, "update"] },
        {
            apiGroups: [""],
            resources: ["namespaces", "pods", "services", "replicationcontrollers", "persistentvolumeclaims", "persistentvolumes"],
            verbs: READ,
        },
        { apiGroups: ["apps"], resources: ["statefulsets", "replicasets", "daemonsets"], verbs: READ },
        { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: READ },
        { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: READ },
        {
            apiGroups: ["storage.k8s.io"],
            resources: ["storageclasses", "csinodes", "csidrivers", "csistoragecapacities", "volumeattachments"],
            verbs: READ,
        },
        { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create"] },
        { apiGroups: ["coordination.k8s.io"], resources: ["leases"], resourceNames: [CLUSTER_AUTOSCALER_NAME], verbs: ["get", "update"] },
    ];
}

/** Namespace permissions: its status ConfigMap only. */
export function clusterAutoscalerNamespaceRules(): PolicyRule[] {
    return [
        { apiGroups: [""], resources: ["configmaps"], verbs: ["create", "list", "watch"] },
        {
            apiGroups: [""],
            resources: ["configmaps"],
            resourceNames: ["cluster-autoscaler-status"],
            verbs: ["delete", "get", "update", "watch"],
        },
    ];
}

/** Arguments of {@link clusterAutoscalerDeployment}. */
export interface AutoscalerDeploymentArgs {
    readonly image: string;
    readonly flags: readonly string[];
    /** Region of the Auto Scaling API: pods cannot ask the instance metadata (IMDSv2, one hop). */
    readonly region: string;
}

/** The Deployment: one replica, critical priority, restricted security context, never evicted by itself. */
export function clusterAutoscalerDeployment(args: AutoscalerDeploymentArgs): appsv1.DeploymentArgs {
    const labels = { "app.kubernetes.io/name": CLUSTER_AUTOSCALER_NAME };
    return {
        metadata: { name: CLUSTER_AUTOSCALER_NAME, namespace: SYSTEM_NAMESPACE, labels },
        spec: {
            // One replica: two autoscalers would resize the same groups from different views.
            replicas: 1,
            selector: { matchLabels: labels },
            template: {
                metadata: {
                    labels,
                    // A scale-down that drained the autoscaler's own node would stop it mid-way.
                    annotations: { "cluster-autoscaler.kubernetes.io/safe-to-evict": "false" },
                },
                spec: {
                    serviceAccountName: CLUSTER_AUTOSCALER_NAME,
                    automountServiceAccountToken: false,
                    priorityClassName: "system-cluster-critical",
                    nodeSelector: { "kubernetes.io/os": "linux" },
                    securityContext: podSecurityContext(SYSTEM_UID),
                    containers: [
                        {
                            name: CLUSTER_AUTOSCALER_NAME,
                            image: args.image,
                            // The image's CMD is the binary; args alone would replace it.
                            command: ["/cluster-autoscaler"],
                            args: [...args.flags],
                            env: [{ name: "AWS_REGION", value: args.region }],
                            ports: [{ name: "http", containerPort: CLUSTER_AUTOSCALER_PORT, protocol: "TCP" }],
                            livenessProbe: { httpGet: { path: "/health-check", port: "http" }, periodSeconds: 20, failureThreshold: 3 },
                            readinessProbe: { httpGet: { path: "/health-check", port: "http" }, periodSeconds: 10 },
                            resources: { requests: { cpu: "100m", memory: "300Mi" }, limits: { cpu: "500m", memory: "600Mi" } },
                            securityContext: containerSecurityContext(SYSTEM_UID),
                            volumeMounts: [apiTokenMount()],
                        },
                    ],
                    volumes: [apiTokenVolume()],
                },
            },
        },
    };
}

/** Arguments of {@link ClusterAutoscaler}. */
export interface ClusterAutoscalerArgs {
    /** The EKS cluster name (config-derived): discovery tags and the IAM condition name it. */
    readonly clusterName: string;
    readonly region: string;
    readonly kubernetesVersion: string;
    readonly settings: ClusterAutoscalerSettings;
    readonly oidcProviderArn: pulumi.Input<string>;
    readonly oidcIssuer: pulumi.Input<string>;
    readonly awsProvider: aws.Provider;
    readonly k8sProvider: K8sProvider;
    /** What its pods need first (the node group). Default none. */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** The cluster autoscaler: its IRSA role and least-privilege policy, RBAC and Deployment. */
export class ClusterAutoscaler extends pulumi.ComponentResource {
    public readonly deployment: appsv1.Deployment;

    constructor(name: string, args: ClusterAutoscalerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:ClusterAutoscaler", name, {}, opts);
        const onAws = { parent: this, provider: args.awsProvider };
        const onK8s = { parent: this, provider: args.k8sProvider };
        const image = clusterAutoscalerImage(args.settings, args.kubernetesVersion);
        const binding = { namespace: SYSTEM_NAMESPACE, serviceAccount: CLUSTER_AUTOSCALER_NAME };

        const role = new iam.Role(
            `${name}-role`,
            {
                description: `Cluster Autoscaler of EKS cluster ${args.clusterName}`,
                assumeRolePolicy: pulumi
                    .all([args.oidcProviderArn, args.oidcIssuer])
                    .apply(([arn, issuer]) => irsaTrustPolicy(arn, issuer, binding)),
            },
            onAws,
        );
        const policy = new iam.RolePolicy(`${name}-policy`, { role: role.id, policy: clusterAutoscalerPolicy(args.clusterName) }, onAws);

        const account = new corev1.ServiceAccount(
            `${name}-sa`,
            systemServiceAccount(CLUSTER_AUTOSCALER_NAME, { "eks.amazonaws.com/role-arn": role.arn }),
            onK8s,
        );
        const subjects = [{ kind: "ServiceAccount", name: CLUSTER_AUTOSCALER_NAME, namespace: SYSTEM_NAMESPACE }];
        const clusterRole = new rbacv1.ClusterRole(
            `${name}-cluster-role`,
            { metadata: { name: CLUSTER_AUTOSCALER_NAME }, rules: clusterAutoscalerClusterRules() },
            onK8s,
        );
        const clusterBinding = new rbacv1.ClusterRoleBinding(
            `${name}-cluster-role-binding`,
            {
                metadata: { name: CLUSTER_AUTOSCALER_NAME },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: CLUSTER_AUTOSCALER_NAME },
                subjects,
            },
            { ...onK8s, dependsOn: [clusterRole] },
        );
        const nsRole = new rbacv1.Role(
            `${name}-role-k8s`,
            { metadata: { name: CLUSTER_AUTOSCALER_NAME, namespace: SYSTEM_NAMESPACE }, rules: clusterAutoscalerNamespaceRules() },
            onK8s,
        );
        const nsBinding = new rbacv1.RoleBinding(
            `${name}-role-binding`,
            {
                metadata: { name: CLUSTER_AUTOSCALER_NAME, namespace: SYSTEM_NAMESPACE },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: CLUSTER_AUTOSCALER_NAME },
                subjects,
            },
            { ...onK8s, dependsOn: [nsRole] },
        );
        this.deployment = new appsv1.Deployment(
            `${name}-deployment`,
            clusterAutoscalerDeployment({ image, flags: clusterAutoscalerFlags(args.settings, args.clusterName), region: args.region }),
            // Its first call needs the role's policy and its RBAC; its pod needs a node.
            { ...onK8s, dependsOn: [...(args.dependsOn ?? []), policy, account, clusterBinding, nsBinding] },
        );
        this.registerOutputs({ roleArn: role.arn });
    }
}
