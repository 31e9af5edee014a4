/**
 * The Kubernetes Cluster Autoscaler images the program knows, one per Kubernetes minor: the
 * autoscaler is released per minor and supports only its own (its README's compatibility
 * table), so the image follows `platform:aws.kubernetesVersion`. Pure: no Pulumi, no zod.
 *
 * Each digest is the multi-architecture index of the tag, as kubernetes/k8s.io promotes it to
 * registry.k8s.io (registry.k8s.io/images/k8s-staging-autoscaling/images.yaml, image
 * "cluster-autoscaler"): a digest cannot be moved under a running Deployment, a tag can.
 * To add a minor: `crane digest registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.N`, or read
 * that file, and add a line here.
 */

/** Repository of the upstream images. */
export const CLUSTER_AUTOSCALER_REPOSITORY = "registry.k8s.io/autoscaling/cluster-autoscaler";

/** Pinned image (tag and digest) per Kubernetes minor. */
export const CLUSTER_AUTOSCALER_IMAGES: Readonly<Record<string, string>> = {
    "1.32": `${CLUSTER_AUTOSCALER_REPOSITORY}:v1.32.2@sha256:c627d8d159a8cd6705a2612afd8a9ffc499e2fc37bad3525364427439b9224c0`,
    "1.33": `${CLUSTER_AUTOSCALER_REPOSITORY}:v1.33.1@sha256:0d53371b73eae57dbed927a72b71d4fe756ce4dbfe528b4217a1078cb13445f0`,
};

/** The pinned image for a Kubernetes minor ("1.33"), or undefined when the program has none. */
export function clusterAutoscalerImageFor(kubernetesMinor: string): string | undefined {
    return Object.prototype.hasOwnProperty.call(CLUSTER_AUTOSCALER_IMAGES, kubernetesMinor)
        ? CLUSTER_AUTOSCALER_IMAGES[kubernetesMinor]
        : undefined;
}

/**
 * A cluster-autoscaler image given in config: any registry (a mirror is fine), the tag
 * v<minor>.<patch> and a sha256 digest. Group 1 is the tag's minor ("1.34").
 */
export const CLUSTER_AUTOSCALER_IMAGE_REF = /^[a-z0-9.:-]+(?:\/[a-z0-9._-]+)*\/cluster-autoscaler:v(1\.\d+)\.\d+@sha256:[0-9a-f]{64}$/;

/** How the cluster autoscaler picks among node groups that could each take a pending pod. */
export const CLUSTER_AUTOSCALER_EXPANDERS = ["least-waste", "most-pods", "random"] as const;

/** One of {@link CLUSTER_AUTOSCALER_EXPANDERS}. */
export type ClusterAutoscalerExpander = (typeof CLUSTER_AUTOSCALER_EXPANDERS)[number];
