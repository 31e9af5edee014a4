/**
 * The real Pulumi CLI (built by tools/toolchain.sh) on the project, with a file backend and a
 * passphrase in a temp folder, and the stack's config in its own file outside the repository
 * (--config-file), so tests never leave a Pulumi.<stack>.yaml behind.
 */
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { REPO, run, RunResult, toolchainEnv } from "./shell";

/** A stack under test. */
export interface TestStack {
    readonly name: string;
    readonly configFile: string;
    /** The environment every command of this stack runs with (toolchain, backend, passphrase). */
    readonly env: NodeJS.ProcessEnv;
    /** The program folder the commands run in (the repository unless createStack was given another). */
    readonly cwd: string;
    /** Runs `pulumi <args>` for this stack with its config file (up, preview, refresh, destroy); never throws. */
    pulumi(args: readonly string[]): Promise<RunResult>;
    /** Runs `pulumi <args>` for this stack without the config file (stack export, stack output). */
    stackCommand(args: readonly string[]): Promise<RunResult>;
    /** Replaces the stack's config file content (`config:` block values). */
    writeConfig(config: Record<string, unknown>): void;
}

/**
 * Creates stack `name` in a file backend under `dir`. Use a name no committed stack has: the
 * stack's config lives in `dir`, and Pulumi.<name>.yaml in the program folder is removed after
 * init. `cwd`: the program folder (Pulumi.yaml, compiled bin/), the repository by default.
 */
export async function createStack(
    dir: string,
    name: string,
    config: Record<string, unknown>,
    extraEnv: NodeJS.ProcessEnv = {},
    cwd: string = REPO,
): Promise<TestStack> {
    const backend = path.join(dir, "state");
    fs.mkdirSync(backend, { recursive: true });
    const configFile = path.join(dir, `Pulumi.${name}.yaml`);
    const env: NodeJS.ProcessEnv = {
        ...(await toolchainEnv()),
        ...extraEnv,
        PULUMI_BACKEND_URL: `file://${backend}`,
        PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
    };
    let encryptionSalt: string | undefined;
    const stack: TestStack = {
        name,
        configFile,
        env,
        cwd,
        pulumi: (args) => run("pulumi", [...args, "--non-interactive", "--stack", name, "--config-file", configFile], { env, cwd }),
        // `stack export` and friends take no --config-file.
        stackCommand: (args) => run("pulumi", [...args, "--non-interactive", "--stack", name], { env, cwd }),
        writeConfig: (values) => {
            fs.writeFileSync(
                configFile,
                stringify(encryptionSalt === undefined ? { config: values } : { encryptionsalt: encryptionSalt, config: values }),
            );
        },
    };
    const init = await run("pulumi", ["stack", "init", name, "--secrets-provider", "passphrase", "--non-interactive"], { env, cwd });
    if (init.code !== 0) throw new Error(`pulumi stack init failed:\n${init.stderr}`);
    // `stack init` writes the passphrase salt into Pulumi.<name>.yaml beside Pulumi.yaml: move it
    // into the test's own config file, so the repository never holds a test stack file.
    const written = path.join(cwd, `Pulumi.${name}.yaml`);
    if (fs.existsSync(written)) {
        const parsed = parse(fs.readFileSync(written, "utf8")) as { encryptionsalt?: string } | null;
        encryptionSalt = parsed?.encryptionsalt;
        fs.rmSync(written);
    }
    stack.writeConfig(config);
    return stack;
}

/** Step counts of a `pulumi preview --json` run, by operation. */
export function stepCounts(previewJson: string): Record<string, number> {
    const parsed = JSON.parse(previewJson) as { steps?: { op: string; urn: string }[] };
    const counts: Record<string, number> = {};
    for (const step of parsed.steps ?? []) counts[step.op] = (counts[step.op] ?? 0) + 1;
    return counts;
}

/** The URNs of the steps of a `pulumi preview --json` run with operation `op`. */
export function stepsOf(previewJson: string, op: string): string[] {
    const parsed = JSON.parse(previewJson) as { steps?: { op: string; urn: string }[] };
    return (parsed.steps ?? []).filter((s) => s.op === op).map((s) => s.urn);
}
