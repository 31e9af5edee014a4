/**
 * Turns the raw config map into a typed, frozen {@link StackConfig}, or into the full list of
 * problems. Pure: the caller (stacks/config.ts) supplies the config map and file checks.
 */
import * as path from "path";
import { z } from "zod";
import { ConfigProblem, renderValue, suggest } from "./problems";
import { CLOUDS, RawConfig, rawConfigSchema, SECRET_KEYS, TOP_LEVEL_KEYS, targetSchemas } from "./schema";
import type { AppSettings, BuildSettings, ServiceSettings } from "./schema/app";
import type { AwsSettings } from "./schema/aws";
import type { AzureSettings } from "./schema/azure";
import type { BudgetSettings } from "./schema/budget";
import type { DataSettings } from "./schema/data";
import type { LocalSettings } from "./schema/local";
import type { PolicySettings } from "./schema/policy";
import type { SwarmSettings } from "./schema/swarm";

/** Config namespace: the project name in Pulumi.yaml. */
export const NAMESPACE = "platform";

/** What the parser needs from the outside world. */
export interface ParseContext {
    readonly stack: string;
    /** Folder of Pulumi.yaml: relative paths in config are relative to it. */
    readonly projectDir: string;
    /** Home folder, for "~/" paths. */
    readonly homeDir: string;
    /** Keys (fully qualified) that were set with `--secret`. */
    readonly secretKeys: ReadonlySet<string>;
    readonly fileExists: (absolutePath: string) => boolean;
}

/** One service of the app stack with every setting resolved (service overrides over app defaults). */
export interface ServiceSpec {
    readonly name: string;
    /** Absolute path of the build context. */
    readonly contextDir: string;
    readonly dockerfile: string;
    readonly containerPort: number;
    readonly needs: { readonly redis: boolean; readonly postgres: boolean };
    readonly public: boolean;
    readonly healthPath: string;
    readonly readyPath: string;
    readonly replicas: AppSettings["replicas"];
    readonly cpu: AppSettings["cpu"];
    readonly memory: AppSettings["memory"];
    readonly hpa: AppSettings["hpa"];
}

/** The target-neutral app stack: what runs, never how a target runs it. */
export interface AppSpec {
    readonly namespace: string;
    readonly cacheTtlSeconds: number;
    readonly allowedSourceRanges: readonly string[];
    readonly services: readonly ServiceSpec[];
}

/** A local target with its kubeconfig path resolved to an absolute path. */
export type LocalTarget = LocalSettings & { readonly kubeconfigPath: string };

interface StackBase {
    readonly stack: string;
    readonly app: AppSpec;
    readonly data: DataSettings;
    readonly build: BuildSettings;
    readonly policy: PolicySettings;
    /** The monthly cost budget the policy pack gates on (unset: the estimate is advisory). */
    readonly budget: BudgetSettings;
    /** Secret keys the program must read with requireSecret (they stay Outputs). */
    readonly requiredSecrets: readonly (typeof SECRET_KEYS)[number][];
}

/** The validated stack config: the target block matches `cloud`. */
export type StackConfig =
    | (StackBase & { readonly cloud: "local"; readonly target: LocalTarget })
    | (StackBase & { readonly cloud: "aws"; readonly target: AwsSettings })
    | (StackBase & { readonly cloud: "azure"; readonly target: AzureSettings })
    | (StackBase & { readonly cloud: "swarm"; readonly target: SwarmSettings });

/** The result of parsing: a config, or every problem found. */
export type ParseResult = { readonly ok: true; readonly config: StackConfig } | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

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
            const known = issue.path.length === 0 ? [...TOP_LEVEL_KEYS] : knownKeysAt(rawConfigSchema, issue.path);
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
    }));
}

/** AWS Graviton (arm64) instance families carry a "g" right after the generation: m7g, c6gn, t4g. */
export function isArmInstanceType(instanceType: string): boolean {
    return /^[a-z]+\d+g[a-z]*\./.test(instanceType);
}

/** Checks that need the file system or the secret-key list, after the schema passed. */
function environmentProblems(raw: RawConfig, ctx: ParseContext): { problems: ConfigProblem[]; requiredSecrets: (typeof SECRET_KEYS)[number][] } {
    const problems: ConfigProblem[] = [];
    const requiredSecrets: (typeof SECRET_KEYS)[number][] = [];
    if (raw.local) {
        const kubeconfigPath = resolvePath(raw.local.kubeconfig, ctx);
        if (!ctx.fileExists(kubeconfigPath)) {
            problems.push({
                key: keyOf(["local", "kubeconfig"]),
                value: raw.local.kubeconfig,
                message: `file ${kubeconfigPath} does not exist; point it at your cluster's kubeconfig (for the embedded platform run "npm run up")`,
            });
        }
    }
    raw.services.forEach((service, index) => {
        const dockerfile = path.join(resolvePath(service.context, ctx), service.dockerfile);
        if (!ctx.fileExists(dockerfile)) {
            problems.push({ key: keyOf(["services", index, "context"]), value: service.context, message: `has no ${service.dockerfile} (looked for ${dockerfile})` });
        }
    });
    if (raw.data.postgres.external && (raw.cloud === "aws" || raw.cloud === "azure")) {
        problems.push({
            key: keyOf(["data", "postgres", "external"]),
            value: raw.data.postgres.external.host,
            message: `is not used with cloud ${raw.cloud}, which provisions its managed PostgreSQL; remove it, or use cloud local or swarm`,
        });
    }
    if (raw.cloud === "aws" && raw.aws && isArmInstanceType(raw.aws.eksNodeInstanceType) && raw.build.platform !== "linux/arm64") {
        problems.push({
            key: keyOf(["build", "platform"]),
            value: raw.build.platform,
            message: `must be linux/arm64 for Graviton nodes (aws.eksNodeInstanceType ${raw.aws.eksNodeInstanceType}); set build.platform: linux/arm64 or pick an x86 instance type`,
        });
    }
    if (raw.data.postgres.external) {
        const key = keyOf(["postgresPassword"]);
        requiredSecrets.push("postgresPassword");
        if (!ctx.secretKeys.has(key)) {
            problems.push({
                key,
                message: `missing required secret (data.postgres.external is set); run: pulumi config set --secret ${key} <password>`,
            });
        }
    }
    return { problems, requiredSecrets };
}

function secretProblems(config: Readonly<Record<string, string>>, ctx: ParseContext): ConfigProblem[] {
    return SECRET_KEYS.map((name) => keyOf([name]))
        .filter((key) => key in config && !ctx.secretKeys.has(key))
        .map((key) => ({ key, value: "(plain text)", message: `must be stored encrypted; run: pulumi config set --secret ${key} <value>` }));
}

/**
 * Parses the full Pulumi config map (all namespaces, values as Pulumi passes them).
 * Keys outside `platform:` belong to providers and Pulumi itself and are left alone,
 * except a near-miss of the namespace, which is reported.
 */
export function parseStackConfig(config: Readonly<Record<string, string>>, ctx: ParseContext): ParseResult {
    const input: Record<string, unknown> = {};
    const problems: ConfigProblem[] = [];
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
        if ((SECRET_KEYS as readonly string[]).includes(key)) continue;
        input[key] = decode(value);
    }
    problems.push(...secretProblems(config, ctx));
    const result = rawConfigSchema.safeParse(input);
    if (!result.success) {
        problems.push(...problemsFromIssues(result.error.issues, input));
        return { ok: false, problems };
    }
    const raw = result.data;
    if (!raw[raw.cloud]) {
        problems.push({
            key: keyOf([raw.cloud]),
            message: `is required when cloud is ${raw.cloud}; add a "${NAMESPACE}:${raw.cloud}:" block (see README, "Config reference")`,
        });
        const targetCheck = targetSchemas[raw.cloud].safeParse({});
        if (!targetCheck.success) problems.push(...problemsFromIssues(targetCheck.error.issues.map((i) => ({ ...i, path: [raw.cloud, ...i.path] })), input));
    }
    const environment = environmentProblems(raw, ctx);
    problems.push(...environment.problems);
    if (problems.length > 0) return { ok: false, problems };

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
        requiredSecrets: environment.requiredSecrets,
    };
    return { ok: true, config: deepFreeze(withTarget(raw, base, ctx)) };
}

function withTarget(raw: RawConfig, base: StackBase, ctx: ParseContext): StackConfig {
    switch (raw.cloud) {
        case "local": {
            const target = raw.local as LocalSettings;
            return { ...base, cloud: "local", target: { ...target, kubeconfigPath: resolvePath(target.kubeconfig, ctx) } };
        }
        case "aws":
            return { ...base, cloud: "aws", target: raw.aws as AwsSettings };
        case "azure":
            return { ...base, cloud: "azure", target: raw.azure as AzureSettings };
        case "swarm":
            return { ...base, cloud: "swarm", target: raw.swarm as SwarmSettings };
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
