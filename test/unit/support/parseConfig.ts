/** Helpers of the parser's table tests: a parse context on fake files, and a parse of a local stack with extra keys. */
import * as assert from "assert";
import { parseStackConfig, ParseContext, ParseResult } from "../../../stacks/parse";
import type { ConfigProblem } from "../../../stacks/problems";
import { fakeFiles } from "./files";

/** A parse context for stack "dev" in /project, on {@link fakeFiles}. */
export const ctx = (overrides: Partial<ParseContext> = {}): ParseContext => ({
    stack: "dev",
    projectDir: "/project",
    project: "platform",
    homeDir: "/home/user",
    secretKeys: new Set<string>(),
    files: fakeFiles(),
    ...overrides,
});

/** The smallest valid local target: kubeconfig "kc" with context "c". */
export const LOCAL = { "platform:cloud": "local", "platform:local": JSON.stringify({ kubeconfig: "kc", context: "c" }) };

/** Parses `base` (default {@link LOCAL}) plus `extra` keys, structured values as JSON the way Pulumi passes them. */
export function parse(extra: Record<string, unknown>, context?: Partial<ParseContext>, base: Record<string, string> = LOCAL): ParseResult {
    const config: Record<string, string> = { ...base };
    for (const [key, value] of Object.entries(extra)) config[key] = typeof value === "string" ? value : JSON.stringify(value);
    return parseStackConfig(config, ctx(context));
}

/** The problems of a rejected config; fails when it was accepted. */
export function problemsOf(result: ParseResult): ConfigProblem[] {
    assert.strictEqual(result.ok, false, "expected the config to be rejected");
    return result.ok ? [] : [...result.problems];
}
