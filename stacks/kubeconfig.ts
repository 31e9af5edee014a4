/**
 * The local target's kubeconfig, reduced to what the stack uses. A kubeconfig such as
 * ~/.kube/config holds every cluster a user reaches, with their credentials; the stack needs only
 * the selected context, its cluster and its user. Only that goes into the provider's inputs, the
 * state and the `kubeconfig` output.
 *
 * The YAML library is loaded on the first call: only a local stack reads a kubeconfig, and the
 * others would pay its ~9 ms of loading on every preview for nothing (bench/README.md, eval).
 */
import * as path from "path";
import type * as yamlModule from "yaml";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- on-demand loading (see above)
const yaml = (): typeof yamlModule => require("yaml") as typeof yamlModule;

/** A named entry of a kubeconfig list (clusters, contexts, users). */
interface NamedEntry {
    readonly name?: unknown;
    readonly [key: string]: unknown;
}

/** What {@link minimalKubeconfig} returns: the reduced file, or why it cannot be made. */
export type MinimalKubeconfig = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

/** Fields of a cluster entry that name files, which kubectl resolves against the kubeconfig's folder. */
const CLUSTER_FILE_FIELDS = ["certificate-authority"] as const;
/** Fields of a user entry that name files. */
const USER_FILE_FIELDS = ["client-certificate", "client-key", "tokenFile"] as const;

function entries(doc: Record<string, unknown>, list: string): NamedEntry[] {
    const value = doc[list];
    return Array.isArray(value) ? value.filter((e): e is NamedEntry => typeof e === "object" && e !== null) : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Relative file paths made absolute against `dir`: the reduced kubeconfig no longer lives next to
 * the files the original named, so a relative path would point nowhere.
 */
function absoluteFiles(body: unknown, fields: readonly string[], dir: string): unknown {
    if (!isRecord(body)) return body;
    const out: Record<string, unknown> = { ...body };
    for (const field of fields) {
        const value = out[field];
        if (typeof value === "string" && value !== "" && !path.isAbsolute(value)) out[field] = path.resolve(dir, value);
    }
    return out;
}

/** The one entry of `list` named `name`, or undefined. */
function named(doc: Record<string, unknown>, list: string, name: unknown): NamedEntry | undefined {
    return typeof name === "string" ? entries(doc, list).find((e) => e.name === name) : undefined;
}

/**
 * Reduces a kubeconfig (YAML or JSON text) to one context: that context, its cluster and its
 * user, with `current-context` set to it. Everything else (other clusters and users, their
 * credentials, preferences) is dropped. Relative file paths are resolved against `baseDir`, the
 * folder of the original file, as kubectl would.
 * @returns the reduced kubeconfig as YAML, or a message naming what is missing (context names
 *   only, never a credential).
 */
export function minimalKubeconfig(text: string, context: string, baseDir: string): MinimalKubeconfig {
    let doc: unknown;
    try {
        doc = yaml().parse(text);
    } catch {
        return { ok: false, message: "is not a YAML or JSON kubeconfig" };
    }
    if (!isRecord(doc)) return { ok: false, message: "is not a kubeconfig (no clusters, contexts and users)" };
    const selected = named(doc, "contexts", context);
    if (selected === undefined) {
        const known = entries(doc, "contexts")
            .map((e) => e.name)
            .filter((n): n is string => typeof n === "string");
        return {
            ok: false,
            message: `has no context "${context}" (it has: ${known.length > 0 ? known.join(", ") : "none"}); set platform:local.context to one of them`,
        };
    }
    const body = isRecord(selected.context) ? selected.context : {};
    const cluster = named(doc, "clusters", body.cluster);
    if (cluster === undefined)
        return { ok: false, message: `context "${context}" names cluster ${JSON.stringify(body.cluster)}, which the file does not define` };
    // A context without a user is valid (an unauthenticated or exec-less cluster); one naming a
    // user the file lacks is not.
    const user = body.user === undefined || body.user === "" ? undefined : named(doc, "users", body.user);
    if (body.user !== undefined && body.user !== "" && user === undefined) {
        return { ok: false, message: `context "${context}" names user ${JSON.stringify(body.user)}, which the file does not define` };
    }
    const reduced = {
        apiVersion: typeof doc.apiVersion === "string" ? doc.apiVersion : "v1",
        kind: "Config",
        clusters: [{ ...cluster, cluster: absoluteFiles(cluster.cluster, CLUSTER_FILE_FIELDS, baseDir) }],
        contexts: [selected],
        "current-context": context,
        users: user === undefined ? [] : [{ ...user, user: absoluteFiles(user.user, USER_FILE_FIELDS, baseDir) }],
    };
    return { ok: true, text: yaml().stringify(reduced) };
}
