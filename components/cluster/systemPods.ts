/**
 * What the controllers the program runs in kube-system (the cluster autoscaler, the VPA
 * recommender) share: the user they run as and how they get their Kubernetes API token.
 */
import type * as k8s from "@pulumi/kubernetes";

/** User and group of the controllers: "nobody", which their distroless images run as; above any host user. */
export const SYSTEM_UID = 65534;

/** Namespace of the platform's controllers. */
export const SYSTEM_NAMESPACE = "kube-system";

/** Where client-go's in-cluster config reads the token, CA and namespace. */
export const API_TOKEN_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** Lifetime of the projected token; the kubelet renews it at 80%, client-go rereads the file. */
export const API_TOKEN_SECONDS = 3600;

/**
 * The API credentials of a controller that calls the API, as an explicit projected volume:
 * the pod and its ServiceAccount set automountServiceAccountToken: false (the policy pack's
 * rule for every workload), and the one pod that needs a token says so here, with a
 * bounded lifetime. The same three files the automatic mount would give.
 */
export function apiTokenVolume(): k8s.types.input.core.v1.Volume {
    return {
        name: "api-token",
        projected: {
            defaultMode: 0o444,
            sources: [
                { serviceAccountToken: { path: "token", expirationSeconds: API_TOKEN_SECONDS } },
                { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
                { downwardAPI: { items: [{ path: "namespace", fieldRef: { fieldPath: "metadata.namespace" } }] } },
            ],
        },
    };
}

/** The read-only mount of {@link apiTokenVolume}. */
export function apiTokenMount(): k8s.types.input.core.v1.VolumeMount {
    return { name: "api-token", mountPath: API_TOKEN_DIR, readOnly: true };
}

/** A ServiceAccount that hands out no token by itself (the pod mounts {@link apiTokenVolume}). */
export function systemServiceAccount(
    name: string,
    annotations?: k8s.types.input.meta.v1.ObjectMeta["annotations"],
): k8s.core.v1.ServiceAccountArgs {
    return { metadata: { name, namespace: SYSTEM_NAMESPACE, annotations }, automountServiceAccountToken: false };
}
