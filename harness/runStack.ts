/**
 * Runs the real program (config edge + buildStack) under the recording mocks for a config
 * map, and returns what was registered.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { buildStack, StackOutputs } from "../stacks/buildStack";
import { loadStackConfig } from "../stacks/config";
// The cloud targets make invokes and read computed outputs: their fakes must always be registered.
import "./awsFakes";
import "./azureFakes";
import { installMocks, Registration, settle } from "./mocks";
import { StackConfigMap } from "./stackFiles";

/** What a mocked run produced. */
export interface StackRun {
    readonly registrations: readonly Registration[];
    readonly outputs?: StackOutputs;
    /** The error the program threw, if it threw. */
    readonly error?: Error;
}

let scratchKubeconfig: string | undefined;

/** A throwaway kubeconfig file: the local target reads its kubeconfig from disk. */
export function scratchKubeconfigPath(): string {
    if (!scratchKubeconfig) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-test-"));
        scratchKubeconfig = path.join(dir, "kubeconfig");
        fs.writeFileSync(
            scratchKubeconfig,
            "apiVersion: v1\nkind: Config\nclusters: [{name: test, cluster: {server: 'https://127.0.0.1:6443'}}]\ncontexts: [{name: platform-local, context: {cluster: test, user: test}}]\ncurrent-context: platform-local\nusers: [{name: test, user: {token: test-token-value}}]\n",
        );
    }
    return scratchKubeconfig;
}

/** Points a local target at the scratch kubeconfig (the committed path exists only on a started platform). */
export function withScratchKubeconfig(map: StackConfigMap): StackConfigMap {
    const local = map.config["platform:local"];
    if (local === undefined) return map;
    const block = JSON.parse(local) as Record<string, unknown>;
    return { ...map, config: { ...map.config, "platform:local": JSON.stringify({ ...block, kubeconfig: scratchKubeconfigPath() }) } };
}

/** Runs the program for `map` as stack `stack` and waits for every registration. */
export async function runStack(stack: string, map: StackConfigMap, options: { preview?: boolean } = {}): Promise<StackRun> {
    const registrations = await installMocks({ stack, preview: options.preview });
    pulumi.runtime.setAllConfig(map.config, map.secretKeys);
    let outputs: StackOutputs | undefined;
    let error: Error | undefined;
    try {
        outputs = buildStack(loadStackConfig());
    } catch (err) {
        error = err instanceof Error ? err : new Error(String(err));
    }
    await settle(registrations);
    return { registrations, outputs, error };
}

/** Resolves an Output's value in a mocked run. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => {
        output.apply((v) => {
            resolve(v);
        });
    });
}

/** Whether an Output is marked secret. */
export function isSecret<T>(output: pulumi.Output<T>): Promise<boolean> {
    return pulumi.isSecret(output);
}
