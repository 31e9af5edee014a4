/**
 * The Vertical Pod Autoscaler's recommender for a cluster that has none built in: the two
 * autoscaling.k8s.io/v1 CRDs, its RBAC and its Deployment in kube-system. Only the
 * recommender: the VerticalPodAutoscalers the app renders are `updateMode: "Off"`, so no
 * updater evicts pods and no admission controller rewrites them; the recommendation is read
 * (kubectl describe vpa, npm run status) to right-size requests. Any Kubernetes target can use it
 * with its provider; it needs a metrics API (metrics-server) to learn from.
 */
import type * as k8s from "@pulumi/kubernetes";
import type { Provider as K8sProvider } from "@pulumi/kubernetes/provider";
import * as appsv1 from "@pulumi/kubernetes/apps/v1";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as rbacv1 from "@pulumi/kubernetes/rbac/v1";
import * as apiextensionsv1 from "@pulumi/kubernetes/apiextensions/v1";
import * as pulumi from "@pulumi/pulumi";
import { containerSecurityContext, podSecurityContext } from "../app/kubernetes/hardening";
import { apiTokenMount, apiTokenVolume, SYSTEM_NAMESPACE, SYSTEM_UID, systemServiceAccount } from "./systemPods";

/** API group of the VPA objects. */
export const VPA_GROUP = "autoscaling.k8s.io";

/** Name of the recommender's ServiceAccount, ClusterRole, binding and Deployment. */
export const VPA_RECOMMENDER_NAME = "vpa-recommender";

/** Port of the recommender's metrics and /health-check. */
export const VPA_RECOMMENDER_PORT = 8942;

/**
 * The recommender image, by tag and digest (the multi-architecture index registry.k8s.io
 * serves, read from kubernetes/k8s.io registry.k8s.io/images/k8s-staging-autoscaling/images.yaml).
 * 1.4.2, not 1.8.1: no source this program could read lists 1.8.1's digest, and an image is never
 * deployed by tag alone (policy rule k8s-image-pinned-by-digest). To move:
 * `crane digest registry.k8s.io/autoscaling/vpa-recommender:1.8.1` and replace both parts.
 */
export const VPA_RECOMMENDER_IMAGE =
    "registry.k8s.io/autoscaling/vpa-recommender:1.4.2@sha256:5ab71cfcd56c480db16af77accb9defdc70442d83cabcfea6e3d4d0243837328";

type Schema = k8s.types.input.apiextensions.v1.JSONSchemaProps;

const str: Schema = { type: "string" };
/** A subtree the recommender owns (status, histograms, policies): kept as written, typed as an object. */
const open: Schema = { type: "object", x_kubernetes_preserve_unknown_fields: true };

/**
 * The VerticalPodAutoscaler schema: structural (every node typed) but compact. What the
 * program and the recommender read is spelled out (targetRef, updatePolicy); the rest is kept.
 */
export function vpaSchema(): Schema {
    return {
        type: "object",
        required: ["spec"],
        properties: {
            spec: {
                type: "object",
                required: ["targetRef"],
                properties: {
                    targetRef: {
                        type: "object",
                        required: ["kind", "name"],
                        properties: { apiVersion: str, kind: str, name: str },
                    },
                    updatePolicy: {
                        type: "object",
                        properties: {
                            updateMode: { type: "string", enum: ["Off", "Initial", "Recreate", "InPlaceOrRecreate", "Auto"] },
                            minReplicas: { type: "integer", minimum: 1 },
                        },
                    },
                    resourcePolicy: open,
                    recommenders: {
                        type: "array",
                        items: { type: "object", required: ["name"], properties: { name: str } },
                    },
                },
            },
            status: open,
        },
    };
}

/** The VerticalPodAutoscalerCheckpoint schema: the recommender's saved histograms, per container. */
export function checkpointSchema(): Schema {
    return {
        type: "object",
        properties: {
            spec: { type: "object", properties: { vpaObjectName: str, containerName: str } },
            status: open,
        },
    };
}

/** The two CRDs, v1 served and stored. */
export function vpaCrds(): apiextensionsv1.CustomResourceDefinitionArgs[] {
    const crd = (kind: string, plural: string, shortName: string, schema: Schema, vpa: boolean) => ({
        metadata: { name: `${plural}.${VPA_GROUP}` },
        spec: {
            group: VPA_GROUP,
            scope: "Namespaced",
            names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), shortNames: [shortName] },
            versions: [
                {
                    name: "v1",
                    served: true,
                    storage: true,
                    schema: { openAPIV3Schema: schema },
                    // The recommender writes its recommendation through the status subresource.
                    subresources: vpa ? { status: {} } : undefined,
                    additionalPrinterColumns: vpa
                        ? [
                              { name: "Mode", type: "string", jsonPath: ".spec.updatePolicy.updateMode" },
                              { name: "CPU", type: "string", jsonPath: ".status.recommendation.containerRecommendations[0].target.cpu" },
                              {
                                  name: "Mem",
                                  type: "string",
                                  jsonPath: ".status.recommendation.containerRecommendations[0].target.memory",
                              },
                              { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
                          ]
                        : undefined,
                },
            ],
        },
    });
    return [
        crd("VerticalPodAutoscaler", "verticalpodautoscalers", "vpa", vpaSchema(), true),
        crd("VerticalPodAutoscalerCheckpoint", "verticalpodautoscalercheckpoints", "vpacheckpoint", checkpointSchema(), false),
    ];
}

const READ = ["get", "list", "watch"];

/** What the recommender reads (pods, their controllers, metrics) and writes (VPA status, checkpoints). */
export function vpaRecommenderRules(): k8s.types.input.rbac.v1.PolicyRule[] {
    return [
        { apiGroups: [""], resources: ["pods", "nodes", "limitranges", "events", "replicationcontrollers"], verbs: READ },
        { apiGroups: [""], resources: ["namespaces"], verbs: ["get", "list"] },
        { apiGroups: ["metrics.k8s.io"], resources: ["pods"], verbs: ["get", "list"] },
        { apiGroups: ["apps"], resources: ["deployments", "replicasets", "statefulsets", "daemonsets"], verbs: READ },
        { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: READ },
        // The pod set of a target is read from its scale subresource's selector.
        { apiGroups: ["apps"], resources: ["deployments/scale", "replicasets/scale", "statefulsets/scale"], verbs: ["get"] },
        { apiGroups: [VPA_GROUP], resources: ["verticalpodautoscalers"], verbs: [...READ, "patch"] },
        { apiGroups: [VPA_GROUP], resources: ["verticalpodautoscalers/status"], verbs: ["get", "patch", "update"] },
        { apiGroups: [VPA_GROUP], resources: ["verticalpodautoscalercheckpoints"], verbs: [...READ, "create", "patch", "delete"] },
    ];
}

/** The recommender Deployment: one replica, restricted security context, health-checked. */
export function vpaRecommenderDeployment(image: string): appsv1.DeploymentArgs {
    const labels = { "app.kubernetes.io/name": VPA_RECOMMENDER_NAME };
    return {
        metadata: { name: VPA_RECOMMENDER_NAME, namespace: SYSTEM_NAMESPACE, labels },
        spec: {
            replicas: 1,
            selector: { matchLabels: labels },
            template: {
                metadata: { labels },
                spec: {
                    serviceAccountName: VPA_RECOMMENDER_NAME,
                    automountServiceAccountToken: false,
                    nodeSelector: { "kubernetes.io/os": "linux" },
                    securityContext: podSecurityContext(SYSTEM_UID),
                    containers: [
                        {
                            name: "recommender",
                            image,
                            args: [`--address=:${VPA_RECOMMENDER_PORT}`],
                            ports: [{ name: "metrics", containerPort: VPA_RECOMMENDER_PORT, protocol: "TCP" }],
                            livenessProbe: { httpGet: { path: "/health-check", port: "metrics" }, periodSeconds: 10, failureThreshold: 3 },
                            readinessProbe: { httpGet: { path: "/health-check", port: "metrics" }, periodSeconds: 10 },
                            // Upstream's sizing: its memory grows with the number of containers it models.
                            resources: { requests: { cpu: "50m", memory: "500Mi" }, limits: { cpu: "200m", memory: "1000Mi" } },
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

/** Arguments of {@link VpaRecommender}. */
export interface VpaRecommenderArgs {
    readonly provider: K8sProvider;
    /** Image with tag and digest. Default {@link VPA_RECOMMENDER_IMAGE}. */
    readonly image?: string;
    /** What its pod needs first (nodes, the metrics API). Default none. */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** VPA CRDs and the recommender, on any Kubernetes cluster. */
export class VpaRecommender extends pulumi.ComponentResource {
    /** The CRDs: VerticalPodAutoscaler objects must wait for them. */
    public readonly crds: apiextensionsv1.CustomResourceDefinition[];
    public readonly deployment: appsv1.Deployment;

    constructor(name: string, args: VpaRecommenderArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:VpaRecommender", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        const [vpa, checkpoint] = vpaCrds();
        this.crds = [
            new apiextensionsv1.CustomResourceDefinition(`${name}-crd-vpa`, vpa, child),
            new apiextensionsv1.CustomResourceDefinition(`${name}-crd-checkpoint`, checkpoint, child),
        ];
        const account = new corev1.ServiceAccount(`${name}-sa`, systemServiceAccount(VPA_RECOMMENDER_NAME), child);
        const role = new rbacv1.ClusterRole(
            `${name}-cluster-role`,
            { metadata: { name: VPA_RECOMMENDER_NAME }, rules: vpaRecommenderRules() },
            child,
        );
        const binding = new rbacv1.ClusterRoleBinding(
            `${name}-cluster-role-binding`,
            {
                metadata: { name: VPA_RECOMMENDER_NAME },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: VPA_RECOMMENDER_NAME },
                subjects: [{ kind: "ServiceAccount", name: VPA_RECOMMENDER_NAME, namespace: SYSTEM_NAMESPACE }],
            },
            { ...child, dependsOn: [role] },
        );
        this.deployment = new appsv1.Deployment(`${name}-deployment`, vpaRecommenderDeployment(args.image ?? VPA_RECOMMENDER_IMAGE), {
            ...child,
            dependsOn: [...(args.dependsOn ?? []), ...this.crds, account, binding],
        });
        this.registerOutputs({});
    }
}
