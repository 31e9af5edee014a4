/**
 * Names the program gives its own objects inside the app's namespace (Kubernetes) or stack
 * (Swarm). A service of the app stack may not take one: its Deployment, Service or NetworkPolicy
 * would collide with the data services' or the namespace's objects. Pure: no Pulumi, no zod.
 */

/** The data services the program can run beside the app. */
export const DATA_KINDS = ["redis", "postgres"] as const;
export type DataKind = (typeof DATA_KINDS)[number];

/** Object name of a data service inside the namespace (also its DNS name). */
export function dataServiceName(kind: DataKind): string {
    return kind;
}

/** The PostgreSQL role the app connects as wherever the program creates the server (in the platform, RDS). */
export const POSTGRES_USER = "app";

/** The namespace-wide NetworkPolicies every app namespace gets. */
export const NAMESPACE_POLICY_NAMES = { defaultDeny: "default-deny", allowDns: "allow-dns" } as const;

/** Suffix of the TCP proxy service the Swarm target puts in front of a public service. */
export const SWARM_PROXY_SUFFIX = "-proxy";

/** Names an app service may not take, with the object it would collide with. */
export const RESERVED_SERVICE_NAMES: Readonly<Record<string, string>> = {
    ...Object.fromEntries(DATA_KINDS.map((kind) => [dataServiceName(kind), `the in-platform ${kind} service's objects`])),
    [NAMESPACE_POLICY_NAMES.defaultDeny]: "the namespace's default-deny NetworkPolicy",
    [NAMESPACE_POLICY_NAMES.allowDns]: "the namespace's allow-dns NetworkPolicy",
};

/**
 * Namespaces the app stack may not use: "kube-" ones belong to Kubernetes itself, and
 * "default" is shared with everything else in the cluster. The stack gives its namespace
 * default-deny NetworkPolicies and restricted Pod Security, which would cut off or evict what
 * already runs there.
 */
export function reservedNamespace(name: string): string | undefined {
    if (name.startsWith("kube-")) return "belongs to Kubernetes itself (kube-system, kube-public, kube-node-lease…)";
    if (name === "default") return "is shared with everything else in the cluster";
    return undefined;
}
