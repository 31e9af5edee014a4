/**
 * Turns the raw config map into a typed, frozen {@link StackConfig}, or into the full list of
 * problems. Pure: the caller (stacks/config.ts) supplies the config map and file checks.
 */
import * as path from "path";
import { z } from "zod";
import { EKS_CLUSTER_NAME_MAX, eksClusterName } from "../model/awsNames";
import { ec2Architecture } from "../model/instances";
import { minimalKubeconfig } from "./kubeconfig";
import { ConfigProblem, renderValue, safeProblem, SECRET_MARK, suggest } from "./problems";
import { publicPortFor, type ServiceSpec } from "../model/app";
import { SECRET_KEYS, type StackBase, type StackConfig } from "../model/stack";
import { CLOUDS, type Cloud } from "../model/targets";
import { configKeysSchema, RawConfig, rawConfigSchema, TOP_LEVEL_KEYS, targetSchemas } from "./schema";
import { fallbackMessage } from "./schema/messages";
import type { ServiceSettings } from "./schema/app";

/** Config namespace: the project name in Pulumi.yaml. */
export const NAMESPACE = "platform";

/** What the parser needs from the outside world. */
export interface ParseContext {
    readonly stack: string;
    /** The Pulumi project's name (Pulumi.yaml `name`): cloud resource names derive from it and the stack. */
    readonly project: string;
    /** Folder of Pulumi.yaml: relative paths in config are relative to it. */
    readonly projectDir: string;
    /** Home folder, for "~/" paths. */
    readonly homeDir: string;
    /** Keys (fully qualified) that were set with `--secret`. */
    readonly secretKeys: ReadonlySet<string>;
    /** The file system as the parser may see it: stat only, and reads of regular files. */
    readonly files: FileView;
}

/** What is at a path, found without opening it (opening a FIFO would block). */
export type FileKind = "file" | "directory" | "missing" | "other" | "unreadable";

/** The parser's view of the file system. */
export interface FileView {
    /** What is at `absolutePath` (a stat that follows symlinks; never opens the file). */
    readonly kind: (absolutePath: string) => FileKind;
    /**
     * The text of a regular file, called only after {@link FileView.kind} said "file"; undefined
     * when it cannot be read or is larger than a kubeconfig can sensibly be.
     */
    readonly readText: (absolutePath: string) => string | undefined;
}

/** The result of parsing: a config, or every problem found. */
export type ParseResult =
    { readonly ok: true; readonly config: StackConfig } | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/** Reads a config value the way Pulumi stores it: structured values as JSON, the rest as strings. */
function decode(value: string): unknown {
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

function keyOf(segments: readonly PropertyKey[]): string {
    let key = NAMESPACE + ":";
    segments.forEach((segment, i) => {
        if (typeof segment === "number") key += `[${segment}]`;
        else key += (i === 0 ? "" : ".") + String(segment);
    });
    return key;
}

function valueAt(root: unknown, segments: readonly PropertyKey[]): unknown {
    let node = root;
    for (const segment of segments) {
        if (node === null || typeof node !== "object") return undefined;
        node = (node as Record<PropertyKey, unknown>)[segment];
    }
    return node;
}

/** The object keys a schema accepts at a path, for "did you mean" on nested typos. */
function knownKeysAt(schema: z.ZodType, segments: readonly PropertyKey[]): string[] {
    let node: z.ZodType = schema;
    const unwrap = (s: z.ZodType): z.ZodType => {
        let current = s;
        for (;;) {
            if (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodPrefault) {
                current = current.unwrap() as z.ZodType;
            } else return current;
        }
    };
    for (const segment of segments) {
        node = unwrap(node);
        if (node instanceof z.ZodArray && typeof segment === "number") node = node.element as z.ZodType;
        else if (node instanceof z.ZodObject && typeof segment === "string") {
            const next = (node.shape as Record<string, z.ZodType | undefined>)[segment];
            if (!next) return [];
            node = next;
        } else return [];
    }
    node = unwrap(node);
    return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

function problemsFromIssues(issues: readonly z.core.$ZodIssue[], input: unknown): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    for (const issue of issues) {
        if (issue.code === "unrecognized_keys") {
            const known = issue.path.length === 0 ? [...TOP_LEVEL_KEYS] : knownKeysAt(configKeysSchema, issue.path);
            for (const unknownKey of issue.keys) {
                const near = suggest(unknownKey, known);
                const fix = near ? `did you mean ${keyOf([...issue.path, near])}?` : `valid keys here: ${known.join(", ")}`;
                problems.push({ key: keyOf([...issue.path, unknownKey]), message: `unknown key; ${fix}` });
            }
            continue;
        }
        const key = keyOf(issue.path);
        // A value that fails a basic rule also fails the cross-field rules built on it: report the first only.
        if (problems.some((p) => p.key === key)) continue;
        const received = valueAt(input, issue.path);
        let message = received === undefined ? `is required; it ${issue.message}` : issue.message;
        if (issue.code === "invalid_value" && typeof received === "string") {
            const near = suggest(received, issue.values.map(String));
            if (near) message = `${message}; did you mean ${near}?`;
        }
        problems.push({ key, value: renderValue(received), message });
    }
    return problems;
}

function resolvePath(p: string, ctx: ParseContext): string {
    if (p === "~" || p.startsWith("~/")) return path.join(ctx.homeDir, p.slice(1));
    return path.resolve(ctx.projectDir, p);
}

function resolveServices(raw: RawConfig, ctx: ParseContext): ServiceSpec[] {
    return raw.services.map((s: ServiceSettings) => ({
        name: s.name,
        contextDir: resolvePath(s.context, ctx),
        dockerfile: s.dockerfile,
        containerPort: s.containerPort,
        needs: { redis: s.needs.includes("redis"), postgres: s.needs.includes("postgres") },
        public: s.public,
        healthPath: s.healthPath,
        readyPath: s.readyPath,
        replicas: s.replicas ?? raw.app.replicas,
        cpu: s.cpu ?? raw.app.cpu,
        memory: s.memory ?? raw.app.memory,
        hpa: s.hpa ?? raw.app.hpa,
        vpa: s.vpa ?? raw.app.vpa,
    }));
}

/** The key a problem with the stack's own name is reported under: no config key (pulumi stack rename changes it). */
const STACK_NAME_KEY = "(stack name)";

/** Highest port a Kubernetes NodePort may take (the API server's default --service-node-port-range). */
const NODE_PORT_MAX = 32767;
/** Highest TCP port. */
const TCP_PORT_MAX = 65535;

/** A string-valued field of a raw (not yet validated) block, or its default when absent. */
function rawString(block: unknown, field: string, fallback?: string): string | undefined {
    if (block === null || typeof block !== "object" || Array.isArray(block)) return block === undefined ? fallback : undefined;
    const value = Object.prototype.hasOwnProperty.call(block, field) ? (block as Record<string, unknown>)[field] : undefined;
    if (value === undefined) return fallback;
    return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** What a file problem says about a path that is not a regular file. */
function notAFile(kind: FileKind, absolutePath: string): string | undefined {
    switch (kind) {
        case "file":
            return undefined;
        case "missing":
            return `file ${absolutePath} does not exist`;
        case "directory":
            return `${absolutePath} is a folder, not a file`;
        case "unreadable":
            return `file ${absolutePath} cannot be read (permissions)`;
        case "other":
            return `${absolutePath} is not a regular file (a pipe, socket or device)`;
    }
}

/**
 * Checks of the files config names. They read the raw input (guarded), so they run even when
 * the schema found problems elsewhere: every problem is reported at once.
 */
function fileProblems(input: Readonly<Record<string, unknown>>, ctx: ParseContext): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const kubeconfig = rawString(input.local, "kubeconfig");
    if (input.local !== undefined && kubeconfig !== undefined) {
        const kubeconfigPath = resolvePath(kubeconfig, ctx);
        const kind = ctx.files.kind(kubeconfigPath);
        const key = keyOf(["local", "kubeconfig"]);
        const wrong = notAFile(kind, kubeconfigPath);
        if (wrong !== undefined) {
            problems.push({
                key,
                value: kubeconfig,
                message: `${wrong}; point it at your cluster's kubeconfig (for the embedded platform run "npm run up")`,
            });
        } else {
            const text = ctx.files.readText(kubeconfigPath);
            const context = rawString(input.local, "context");
            if (text === undefined)
                problems.push({
                    key,
                    value: kubeconfig,
                    message: `file ${kubeconfigPath} cannot be read or is larger than 1 MiB; point it at a kubeconfig`,
                });
            else if (context !== undefined) {
                const reduced = minimalKubeconfig(text, context, path.dirname(kubeconfigPath));
                if (!reduced.ok) {
                    // A missing context is the context key's problem; anything else is the file's.
                    const contextProblem = reduced.message.startsWith("has no context");
                    problems.push({
                        key: contextProblem ? keyOf(["local", "context"]) : key,
                        value: contextProblem ? context : kubeconfig,
                        message: `file ${kubeconfigPath} ${reduced.message}`,
                    });
                }
            }
        }
    }
    // Absent, the default service builds app/ with its Dockerfile: that is checked too.
    const services: unknown = input.services === undefined ? [{}] : input.services;
    if (Array.isArray(services)) {
        services.forEach((service: unknown, index) => {
            const context = rawString(service, "context", "app");
            const dockerfile = rawString(service, "dockerfile", "Dockerfile");
            if (context === undefined || dockerfile === undefined) return;
            const contextDir = resolvePath(context, ctx);
            const contextKind = ctx.files.kind(contextDir);
            if (contextKind !== "directory") {
                const what = contextKind === "missing" ? "does not exist" : "is not a folder";
                problems.push({
                    key: keyOf(["services", index, "context"]),
                    value: context,
                    message: `${contextDir} ${what}; point it at the folder holding the service's Dockerfile`,
                });
                return;
            }
            const file = path.join(contextDir, dockerfile);
            const kind = ctx.files.kind(file);
            if (kind === "file") return;
            const wrong = kind === "missing" ? `has no ${dockerfile} (looked for ${file})` : notAFile(kind, file);
            // Blame the key the user wrote: the Dockerfile name if set, else the context.
            const own = rawString(service, "dockerfile") !== undefined;
            problems.push({
                key: keyOf(["services", index, own ? "dockerfile" : "context"]),
                value: own ? dockerfile : context,
                message: `${wrong}; the build needs the Dockerfile ${dockerfile} in ${contextDir}`,
            });
        });
    }
    return problems;
}

/** Every top-level key, validated on its own. */
type ConfigKeys = z.output<typeof configKeysSchema>;

/** The blocks that passed the schema, each on its own: cross-field rules run on those they need. */
type ParsedBlocks = { readonly [K in keyof ConfigKeys]?: ConfigKeys[K] };

/** Rules across blocks, each run when the blocks it reads passed. */
function crossFieldProblems(
    blocks: ParsedBlocks,
    ctx: ParseContext,
): { problems: ConfigProblem[]; requiredSecrets: (typeof SECRET_KEYS)[number][] } {
    const problems: ConfigProblem[] = [];
    const requiredSecrets: (typeof SECRET_KEYS)[number][] = [];
    const { cloud, data, build, aws, services } = blocks;
    if (data?.postgres.external && (cloud === "aws" || cloud === "azure")) {
        problems.push({
            key: keyOf(["data", "postgres", "external"]),
            value: data.postgres.external.host,
            message: `is not used with cloud ${cloud}, which provisions its managed PostgreSQL; remove it, or use cloud local or swarm`,
        });
    }
    if (cloud === "aws") {
        const clusterName = eksClusterName(ctx.project, ctx.stack);
        if (clusterName.length > EKS_CLUSTER_NAME_MAX) {
            problems.push({
                key: STACK_NAME_KEY,
                value: ctx.stack,
                message: `makes the EKS cluster name "${ctx.project}-<stack>" ${clusterName.length} characters, over EKS's ${EKS_CLUSTER_NAME_MAX}; use a stack name of at most ${EKS_CLUSTER_NAME_MAX - ctx.project.length - 1} characters (pulumi stack rename)`,
            });
        }
    }
    // Images run only on nodes of their architecture: a mismatch fails every pod with "exec format error".
    const nodePlatform = cloud === "aws" && aws ? `linux/${ec2Architecture(aws.eksNodeInstanceType)}` : undefined;
    if (nodePlatform !== undefined && aws && build && build.platform !== nodePlatform) {
        const nodes = nodePlatform === "linux/arm64" ? "Graviton (arm64)" : "x86 (amd64)";
        problems.push({
            key: keyOf(["build", "platform"]),
            value: build.platform,
            message: `must be ${nodePlatform} for ${nodes} nodes (aws.eksNodeInstanceType ${aws.eksNodeInstanceType}); set build.platform: ${nodePlatform} or pick an instance type of the other architecture`,
        });
    }
    if (data?.postgres.external) {
        const key = keyOf(["postgresPassword"]);
        requiredSecrets.push("postgresPassword");
        if (!ctx.secretKeys.has(key)) {
            problems.push({
                key,
                message: `missing required secret (data.postgres.external is set); run: pulumi config set --secret ${key} <password>`,
            });
        }
    }
    const publicCount = services?.filter((s) => s.public).length ?? 0;
    if (cloud === "local" && blocks.local)
        problems.push(...portRangeProblems(["local", "nodePortBase"], blocks.local.nodePortBase, publicCount, NODE_PORT_MAX, "node ports"));
    if (cloud === "swarm" && blocks.swarm)
        problems.push(
            ...portRangeProblems(["swarm", "publishedPortBase"], blocks.swarm.publishedPortBase, publicCount, TCP_PORT_MAX, "TCP ports"),
        );
    return { problems, requiredSecrets };
}

/** A port base that leaves no room for `count` consecutive ports up to `max`, as a problem. */
function portRangeProblems(segments: readonly PropertyKey[], base: number, count: number, max: number, ports: string): ConfigProblem[] {
    // The same numbering the Kubernetes and Swarm renderers use for the last public service.
    const last = publicPortFor(base, count - 1);
    if (count === 0 || last <= max) return [];
    return [
        {
            key: keyOf(segments),
            value: String(base),
            message: `leaves no room for ${count} public services (ports ${base} to ${last}; ${ports} end at ${max}); set it to at most ${max - count + 1}`,
        },
    ];
}

function secretProblems(config: Readonly<Record<string, string>>, ctx: ParseContext): ConfigProblem[] {
    return SECRET_KEYS.map((name) => keyOf([name]))
        .filter((key) => Object.prototype.hasOwnProperty.call(config, key) && !ctx.secretKeys.has(key))
        .map((key) => ({
            key,
            value: "(plain text)",
            message: `must be stored encrypted; run: pulumi config set --secret ${key} <value>`,
        }));
}

/** Every string inside a decoded value (a secret's text, to keep out of messages). */
function stringLeaves(value: unknown, out: string[] = []): string[] {
    if (typeof value === "string") out.push(value);
    else if (typeof value === "number" || typeof value === "boolean") out.push(String(value));
    else if (Array.isArray(value)) for (const v of value) stringLeaves(v, out);
    else if (value !== null && typeof value === "object") for (const v of Object.values(value)) stringLeaves(v, out);
    return out;
}

/** Leaves shorter than this are not scrubbed from messages: "1" would eat every digit of a rule. */
const MIN_SCRUBBED_SECRET = 4;

/**
 * Parses the full Pulumi config map (all namespaces, values as Pulumi passes them).
 * Keys outside `platform:` belong to providers and Pulumi itself and are left alone,
 * except a near-miss of the namespace, which is reported. Every rule runs, whatever else
 * failed, so the result lists every problem at once; problem text is escaped, bounded and never
 * shows a value that was set with --secret.
 */
export function parseStackConfig(config: Readonly<Record<string, string>>, ctx: ParseContext): ParseResult {
    // An allow-list into an object without a prototype: "__proto__" or "constructor" is an
    // unknown key like any other, never a lookup that reaches Object.prototype.
    const input: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    const problems: ConfigProblem[] = [];
    const secretTexts: string[] = [];
    const secretTopKeys = new Set<string>();
    for (const [fullKey, value] of Object.entries(config)) {
        const colon = fullKey.indexOf(":");
        const namespace = fullKey.slice(0, colon);
        const key = fullKey.slice(colon + 1);
        if (namespace !== NAMESPACE) {
            if (namespace.length > 3 && suggest(namespace, [NAMESPACE])) {
                problems.push({ key: fullKey, message: `unknown namespace; did you mean ${NAMESPACE}:${key}?` });
            }
            continue;
        }
        const decoded = decode(value);
        if (ctx.secretKeys.has(fullKey)) {
            secretTopKeys.add(key);
            secretTexts.push(...stringLeaves(decoded).filter((t) => t.length >= MIN_SCRUBBED_SECRET));
        }
        if ((SECRET_KEYS as readonly string[]).includes(key)) continue;
        if (!TOP_LEVEL_KEYS.includes(key)) {
            const near = suggest(key, TOP_LEVEL_KEYS);
            problems.push({
                key: fullKey,
                message: `unknown key; ${near ? `did you mean ${keyOf([near])}?` : `valid keys here: ${TOP_LEVEL_KEYS.join(", ")}`}`,
            });
            continue;
        }
        input[key] = decoded;
    }
    problems.push(...secretProblems(config, ctx));

    const shape = configKeysSchema.shape;
    const block = <T extends z.ZodType>(key: string, schema: T): z.output<T> | undefined => {
        const result = schema.safeParse(input[key], { error: fallbackMessage });
        if (result.success) return result.data;
        problems.push(
            ...problemsFromIssues(
                result.error.issues.map((i) => ({ ...i, path: [key, ...i.path] })),
                input,
            ),
        );
        return undefined;
    };
    const cloud = block("cloud", shape.cloud);
    // A block for another cloud is never read: refused as a whole (its fields are not checked, since
    // the fix is to remove it). While `cloud` itself is wrong, every block present is checked.
    const targetBlock = <T extends z.ZodType>(name: Cloud, schema: T): z.output<T> | undefined => {
        if (cloud === undefined || cloud === name) return block(name, schema);
        if (input[name] !== undefined)
            problems.push({
                key: keyOf([name]),
                message: `is only read when ${keyOf(["cloud"])} is ${name} (this stack's cloud is ${cloud}); remove it`,
            });
        return undefined;
    };
    const blocks: ParsedBlocks = {
        cloud,
        app: block("app", shape.app),
        services: block("services", shape.services),
        data: block("data", shape.data),
        build: block("build", shape.build),
        policy: block("policy", shape.policy),
        budget: block("budget", shape.budget),
        local: targetBlock("local", shape.local),
        aws: targetBlock("aws", shape.aws),
        azure: targetBlock("azure", shape.azure),
        swarm: targetBlock("swarm", shape.swarm),
    };
    if (cloud !== undefined && input[cloud] === undefined) {
        problems.push({
            key: keyOf([cloud]),
            message: `is required when cloud is ${cloud}; add a "${NAMESPACE}:${cloud}:" block (see README, "Config reference")`,
        });
        const targetCheck = targetSchemas[cloud].safeParse({}, { error: fallbackMessage });
        if (!targetCheck.success)
            problems.push(
                ...problemsFromIssues(
                    targetCheck.error.issues.map((i) => ({ ...i, path: [cloud, ...i.path] })),
                    input,
                ),
            );
    }
    problems.push(...fileProblems(input, ctx));
    const cross = crossFieldProblems(blocks, ctx);
    problems.push(...cross.problems);
    if (problems.length > 0) {
        const isSecretKey = (key: string) =>
            [...secretTopKeys].some(
                (top) => key === keyOf([top]) || key.startsWith(`${keyOf([top])}.`) || key.startsWith(`${keyOf([top])}[`),
            );
        const shown = problems.map((p) =>
            isSecretKey(p.key) && p.value !== undefined && p.value !== "(plain text)" ? { ...p, value: SECRET_MARK } : p,
        );
        return { ok: false, problems: shown.map((p) => safeProblem(p, secretTexts)) };
    }

    // Every block passed on its own; the union on `cloud` gives the typed whole.
    const whole = rawConfigSchema.safeParse(input, { error: fallbackMessage });
    if (!whole.success) throw new Error(`internal: every block passed, but the config as a whole did not: ${whole.error.message}`);
    const raw = whole.data;
    const base = {
        stack: ctx.stack,
        app: {
            namespace: raw.app.namespace,
            cacheTtlSeconds: raw.app.cacheTtlSeconds,
            allowedSourceRanges: raw.app.allowedSourceRanges,
            services: resolveServices(raw, ctx),
        },
        data: raw.data,
        build: raw.build,
        policy: raw.policy,
        budget: raw.budget,
        requiredSecrets: cross.requiredSecrets,
    };
    return { ok: true, config: deepFreeze(withTarget(raw, base, ctx)) };
}

function withTarget(raw: RawConfig, base: StackBase, ctx: ParseContext): StackConfig {
    switch (raw.cloud) {
        case "local":
            return { ...base, cloud: "local", target: { ...raw.local, kubeconfigPath: resolvePath(raw.local.kubeconfig, ctx) } };
        case "aws":
            return { ...base, cloud: "aws", target: raw.aws };
        case "azure":
            return { ...base, cloud: "azure", target: raw.azure };
        case "swarm":
            return { ...base, cloud: "swarm", target: raw.swarm };
    }
}

function deepFreeze<T>(value: T): T {
    if (value && typeof value === "object" && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const child of Object.values(value)) deepFreeze(child);
    }
    return value;
}

export { CLOUDS };
