/**
 * Pure half of the flat program (bench/flatProgram.ts): turns our stack's state (`pulumi stack
 * export --show-secrets`) into the list of resources a flat `@pulumi/kubernetes` program declares
 * to get the same objects with the same specs, without our components, config edge or model.
 *
 * Every custom resource but the providers is kept, in state order (which is dependency order):
 * the Kubernetes objects, the images and the passwords. A string input that contains an output
 * of an image or password (an image digest, a generated password) becomes a link to that
 * resource's output in the flat program, so an image rebuild flows into the Deployment as it
 * does in ours. Objects move from namespace `from` to `to` (both stacks share one cluster) and a
 * Service's node ports are dropped (the cluster allocates one per port, so ours keeps its own).
 */

/** One resource of `pulumi stack export --show-secrets` (the fields read here). */
export interface ExportedResource {
    readonly urn: string;
    readonly type: string;
    readonly custom?: boolean;
    readonly inputs?: Record<string, unknown>;
    readonly outputs?: Record<string, unknown>;
    readonly dependencies?: readonly string[];
    /** "urn::id" of the resource's provider; absent for providers and components. */
    readonly provider?: string;
}

/** A part of a linked string: literal text or an output of an earlier flat resource. */
export type LinkPiece = string | { readonly resource: string; readonly output: string };

/** Marker objects inside {@link FlatResource.inputs}. */
export interface SecretValue {
    readonly __flatSecret: unknown;
}
/** A string assembled from literal text and outputs of earlier resources. */
export interface LinkedValue {
    readonly __flatLink: readonly LinkPiece[];
}

/** One resource of the flat program. */
export interface FlatResource {
    /** `${type}::${name}`: unique key, what links and dependencies name. */
    readonly key: string;
    readonly type: string;
    readonly name: string;
    /** Package whose explicit provider it uses ("kubernetes", "docker-build"), or undefined for the default provider. */
    readonly provider?: string;
    /** Inputs as plain JSON with {@link SecretValue} and {@link LinkedValue} markers. */
    readonly inputs: Record<string, unknown>;
    /** Outputs other resources link to (the flat program asks the engine for them). */
    readonly outputs: readonly string[];
    /** Keys of earlier flat resources this one depends on. */
    readonly dependsOn: readonly string[];
}

/** What the flat program declares: explicit providers by package, then the resources in order. */
export interface FlatSpec {
    readonly providers: Readonly<Record<string, Record<string, unknown>>>;
    readonly resources: readonly FlatResource[];
}

const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** Outputs shorter than this never become links: too likely to occur by chance inside other strings. */
const MIN_LINK_LENGTH = 16;
/** docker-build Image arguments; anything else in its state inputs is computed by the provider. */
const IMAGE_ARGS = new Set([
    "addHosts",
    "buildArgs",
    "buildOnPreview",
    "builder",
    "cacheFrom",
    "cacheTo",
    "context",
    "dockerfile",
    "exec",
    "exports",
    "labels",
    "load",
    "network",
    "noCache",
    "platforms",
    "pull",
    "push",
    "registries",
    "secrets",
    "ssh",
    "tags",
    "target",
]);

function nameOfUrn(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A state value with its secret markers as {@link SecretValue}; `--show-secrets` puts the JSON of the value in `plaintext`. */
function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    if (!isRecord(value)) return value;
    if (SIG_KEY in value) {
        if (typeof value.plaintext === "string") return { __flatSecret: unwrapSecrets(JSON.parse(value.plaintext)) };
        if ("value" in value) return { __flatSecret: unwrapSecrets(value.value) };
        throw new Error("an encrypted secret in the state: export it with --show-secrets");
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
}

/** Splits `text` at every occurrence of a source value (longest first), or returns it unchanged. */
export function linkString(text: string, sources: ReadonlyMap<string, { resource: string; output: string }>): string | LinkedValue {
    const values = [...sources.keys()].filter((v) => text.includes(v)).sort((a, b) => b.length - a.length);
    if (values.length === 0) return text;
    let pieces: LinkPiece[] = [text];
    for (const value of values) {
        const source = sources.get(value);
        if (source === undefined) continue;
        pieces = pieces.flatMap((piece) => {
            if (typeof piece !== "string" || !piece.includes(value)) return [piece];
            const parts = piece.split(value);
            return parts.flatMap((part, i) => (i === 0 ? [part] : [source, part])).filter((p) => p !== "");
        });
    }
    return { __flatLink: pieces };
}

function linkAll(value: unknown, sources: ReadonlyMap<string, { resource: string; output: string }>, used: Set<string>): unknown {
    if (typeof value === "string") {
        const linked = linkString(value, sources);
        if (typeof linked !== "string")
            for (const p of linked.__flatLink) if (typeof p !== "string") used.add(`${p.resource}\0${p.output}`);
        return linked;
    }
    if (Array.isArray(value)) return value.map((v) => linkAll(v, sources, used));
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, linkAll(v, sources, used)]));
    return value;
}

/** A Kubernetes object's inputs moved from namespace `from` to `to`, without a Service's node ports. */
function moveNamespace(type: string, inputs: Record<string, unknown>, from: string, to: string): Record<string, unknown> {
    const copy = structuredClone(inputs);
    const metadata = isRecord(copy.metadata) ? copy.metadata : undefined;
    if (metadata !== undefined) {
        if (type === "kubernetes:core/v1:Namespace" && metadata.name === from) metadata.name = to;
        if (metadata.namespace === from) metadata.namespace = to;
    }
    if (type === "kubernetes:core/v1:Service" && isRecord(copy.spec) && Array.isArray(copy.spec.ports))
        for (const port of copy.spec.ports) if (isRecord(port)) delete port.nodePort;
    return copy;
}

/**
 * The flat program's resources for our stack's exported resources, with its namespace `from`
 * renamed to `to`. Throws on encrypted secrets (export with --show-secrets).
 */
export function flatSpec(resources: readonly ExportedResource[], from: string, to: string): FlatSpec {
    const providers: Record<string, Record<string, unknown>> = {};
    const providerPackage = new Map<string, string>();
    for (const r of resources) {
        if (!r.type.startsWith("pulumi:providers:")) continue;
        const pkg = r.type.slice("pulumi:providers:".length);
        providerPackage.set(r.urn, pkg);
        // The same package may have a default provider too; the explicit one carries the settings.
        if (pkg === "kubernetes" || pkg === "docker-build") {
            const inputs = unwrapSecrets(r.inputs ?? {}) as Record<string, unknown>;
            delete inputs.version;
            providers[pkg] = inputs;
        }
    }
    const kept = resources.filter((r) => r.custom === true && !r.type.startsWith("pulumi:providers:"));
    const keyOfUrn = new Map(kept.map((r) => [r.urn, `${r.type}::${nameOfUrn(r.urn)}`]));
    const sources = new Map<string, { resource: string; output: string }>();
    const draft: Omit<FlatResource, "outputs">[] = [];
    const used = new Set<string>();
    let namespaceKey: string | undefined;
    for (const r of kept) {
        const key = keyOfUrn.get(r.urn) ?? r.urn;
        const name = nameOfUrn(r.urn);
        const kube = r.type.startsWith("kubernetes:");
        // The reference is "<provider urn>::<id>", and ids hold no "::".
        const pkg = r.provider === undefined ? undefined : providerPackage.get(r.provider.slice(0, r.provider.lastIndexOf("::")));
        let inputs = unwrapSecrets(r.inputs ?? {}) as Record<string, unknown>;
        if (r.type === "docker-build:index:Image") inputs = Object.fromEntries(Object.entries(inputs).filter(([k]) => IMAGE_ARGS.has(k)));
        if (kube) inputs = moveNamespace(r.type, inputs, from, to);
        inputs = linkAll(inputs, sources, used) as Record<string, unknown>;
        const dependsOn = (r.dependencies ?? []).map((u) => keyOfUrn.get(u)).filter((k): k is string => k !== undefined && k !== key);
        if (kube && namespaceKey !== undefined && r.type !== "kubernetes:core/v1:Namespace" && !dependsOn.includes(namespaceKey))
            dependsOn.push(namespaceKey);
        if (r.type === "kubernetes:core/v1:Namespace") namespaceKey = key;
        draft.push({
            key,
            type: r.type,
            name,
            provider: pkg === "kubernetes" || pkg === "docker-build" ? pkg : undefined,
            inputs,
            dependsOn,
        });
        // Outputs of images and passwords may reappear inside later objects' inputs.
        if (!kube)
            for (const [output, wrapped] of Object.entries(unwrapSecrets(r.outputs ?? {}) as Record<string, unknown>)) {
                const value = isRecord(wrapped) && "__flatSecret" in wrapped ? wrapped.__flatSecret : wrapped;
                if (!output.startsWith("__") && typeof value === "string" && value.length >= MIN_LINK_LENGTH && !sources.has(value))
                    sources.set(value, { resource: key, output });
            }
    }
    return {
        providers,
        resources: draft.map((rest) => ({
            ...rest,
            outputs: [...used].filter((u) => u.startsWith(`${rest.key}\0`)).map((u) => u.slice(rest.key.length + 1)),
        })),
    };
}
