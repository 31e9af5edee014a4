/**
 * The one config edge: the only module that reads Pulumi config or the environment.
 * It parses everything once and throws, before a single resource is registered, with every
 * problem listed.
 */
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { diskFiles } from "./diskFiles";
import { minimalKubeconfig } from "./kubeconfig";
import { formatProblems } from "./problems";
import { NAMESPACE, parseStackConfig } from "./parse";
import { StackConfig, type SecretKey } from "../model/stack";

/** Secret config values, read with requireSecret so they stay secret Outputs. */
export type StackSecrets = Readonly<Partial<Record<SecretKey, pulumi.Output<string>>>>;

/** What {@link loadStackConfig} returns: the frozen config and its secrets. */
export interface LoadedConfig {
    readonly config: StackConfig;
    readonly secrets: StackSecrets;
    /**
     * The local target's kubeconfig reduced to the selected context, its cluster and its user,
     * secret (it holds client keys); the file's other contexts never reach the state.
     */
    readonly localKubeconfig?: pulumi.Output<string>;
}

/**
 * Keys Pulumi marked secret (set with --secret). The SDK knows them (the engine passes them
 * beside the config, mocks pass them to setAllConfig) but only exposes an untyped helper.
 */
function secretKeys(keys: readonly string[]): Set<string> {
    const helper = (runtimeConfig as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
    if (typeof helper !== "function") throw new Error("@pulumi/pulumi no longer exposes isConfigSecret; update stacks/config.ts");
    return new Set(keys.filter((key) => helper(key)));
}

/** The folder of Pulumi.yaml: the engine's root directory, else the working directory (mocks). */
function projectDir(): string {
    let root: string | undefined;
    try {
        root = pulumi.runtime.getRootDirectory();
    } catch {
        root = undefined;
    }
    // Mocks report a placeholder root ("rootDirectory"); only an absolute path is a real one.
    return root !== undefined && path.isAbsolute(root) ? root : process.cwd();
}

/**
 * Loads and validates the current stack's config.
 * @throws pulumi.RunError listing every problem (key, value received, rule, fix).
 */
export function loadStackConfig(): LoadedConfig {
    const all = pulumi.runtime.allConfig();
    const result = parseStackConfig(all, {
        stack: pulumi.getStack(),
        project: pulumi.getProject(),
        // The engine may start the program in the folder of `main` (bin/); paths in config are
        // relative to the project folder, where Pulumi.yaml is.
        projectDir: projectDir(),
        homeDir: os.homedir(),
        secretKeys: secretKeys(Object.keys(all)),
        files: diskFiles,
    });
    if (!result.ok) throw new pulumi.RunError(formatProblems(pulumi.getStack(), result.problems));
    const config = new pulumi.Config(NAMESPACE);
    const secrets: Partial<Record<SecretKey, pulumi.Output<string>>> = {};
    for (const key of result.config.requiredSecrets) secrets[key] = config.requireSecret(key);
    let localKubeconfig: pulumi.Output<string> | undefined;
    if (result.config.cloud === "local") {
        const { kubeconfigPath, kubeconfig, context } = result.config.target;
        // The parser checked the file; a file that changed since still fails with its key named.
        const reduced = minimalKubeconfig(diskFiles.readText(kubeconfigPath) ?? "", context, path.dirname(kubeconfigPath));
        if (!reduced.ok)
            throw new pulumi.RunError(
                formatProblems(pulumi.getStack(), [
                    { key: `${NAMESPACE}:local.kubeconfig`, value: kubeconfig, message: `file ${kubeconfigPath} ${reduced.message}` },
                ]),
            );
        localKubeconfig = pulumi.secret(reduced.text);
    }
    return { config: result.config, secrets, localKubeconfig };
}
