/**
 * Reads committed Pulumi.<stack>.yaml files into the config map Pulumi hands a program, for
 * everything that evaluates them without deploying: tests, golden lists, compare, the policy
 * report, bench.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { withStandIns } from "./standIns";

export { standInNotice } from "./standIns";

/** Project root (this runs from the compiled bin/harness folder). */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** A stack's config as Pulumi passes it: values as strings (structured ones as JSON), plus which keys are secret. */
export interface StackConfigMap {
    readonly config: Record<string, string>;
    readonly secretKeys: string[];
    /** Keys whose placeholders were replaced by stand-ins (harness/standIns.ts). Default none. */
    readonly standIns?: readonly string[];
}

/** Converts a parsed `config:` block to the map Pulumi hands the program. */
export function toConfigMap(block: Record<string, unknown>): StackConfigMap {
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(block)) {
        if (value && typeof value === "object" && !Array.isArray(value) && "secure" in value) {
            // Tests never hold the passphrase: a secure value stands in as a marked placeholder.
            config[key] = `secret-placeholder-for-${key}`;
            secretKeys.push(key);
        } else config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return { config, secretKeys };
}

/** Loads the committed stack file Pulumi.<stack>.yaml as it is, placeholders included: what a user's first `pulumi up` gets. */
export function readCommittedStackFile(stack: string): StackConfigMap {
    const text = fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8");
    const document = parse(text) as { config?: Record<string, unknown> } | null;
    return toConfigMap(document?.config ?? {});
}

/**
 * Loads Pulumi.<stack>.yaml with its deploy-only placeholders swapped for stand-ins, so it can be
 * evaluated; `standIns` lists the keys swapped (print {@link standInNotice} where it matters).
 */
export function readStackFile(stack: string): StackConfigMap {
    const committed = readCommittedStackFile(stack);
    const { config, replaced } = withStandIns(committed.config);
    return { config, secretKeys: committed.secretKeys, standIns: replaced };
}
