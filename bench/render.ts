/**
 * Pure helpers of the engine section: which live objects belong to the stack, and how a live
 * object becomes a manifest that server-side apply can create again in another namespace.
 */

/** A Kubernetes object as `kubectl get -o json` returns it. */
export type KubeObject = Record<string, unknown> & { apiVersion: string; kind: string; metadata: Record<string, unknown> };

/** One resource of `pulumi stack export`. */
export interface StateResource {
    readonly type: string;
    readonly outputs?: { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
}

/** `kubectl get` arguments ("deployment.apps/web") of the stack's Kubernetes objects, from its state. */
export function stackObjectRefs(resources: readonly StateResource[]): string[] {
    const refs: string[] = [];
    for (const r of resources) {
        if (!r.type.startsWith("kubernetes:")) continue;
        const { apiVersion, kind, metadata } = r.outputs ?? {};
        if (typeof apiVersion !== "string" || typeof kind !== "string" || typeof metadata?.name !== "string") continue;
        const group = apiVersion.includes("/") ? `.${apiVersion.split("/")[0]}` : "";
        refs.push(`${kind.toLowerCase()}${group}/${metadata.name}`);
    }
    return refs;
}

const SERVER_METADATA = new Set(["managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink"]);
const SERVER_ANNOTATIONS = new Set(["deployment.kubernetes.io/revision", "kubectl.kubernetes.io/last-applied-configuration"]);

function without<T>(record: Record<string, T>, keys: ReadonlySet<string>): Record<string, T> {
    return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.has(key)));
}

/**
 * A live object as a fresh manifest in namespace `to`: status and server-set metadata removed,
 * the namespace renamed (a Namespace object becomes `to`), and a Service's allocated cluster IPs
 * and node ports dropped so the copy can coexist with the original.
 */
export function toManifest(live: KubeObject, to: string): KubeObject {
    const copy = structuredClone(live);
    delete copy.status;
    const metadata = without(copy.metadata, SERVER_METADATA);
    copy.metadata = metadata;
    if (metadata.annotations !== undefined) {
        const annotations = without(metadata.annotations as Record<string, string>, SERVER_ANNOTATIONS);
        if (Object.keys(annotations).length === 0) delete metadata.annotations;
        else metadata.annotations = annotations;
    }
    if (copy.kind === "Namespace") {
        metadata.name = to;
        const labels = metadata.labels as Record<string, string> | undefined;
        if (labels?.["kubernetes.io/metadata.name"] !== undefined) labels["kubernetes.io/metadata.name"] = to;
        delete copy.spec;
    } else if (metadata.namespace !== undefined) metadata.namespace = to;
    if (copy.kind === "Service") {
        const spec = copy.spec as { clusterIP?: unknown; clusterIPs?: unknown; ports?: Record<string, unknown>[] } | undefined;
        if (spec) {
            delete spec.clusterIP;
            delete spec.clusterIPs;
            for (const port of spec.ports ?? []) delete port.nodePort;
        }
    }
    return copy;
}

/** Namespaces first, so one apply can create them before what lives in them. */
export function orderForApply(objects: readonly KubeObject[]): KubeObject[] {
    return [...objects].sort((a, b) => Number(b.kind === "Namespace") - Number(a.kind === "Namespace"));
}
