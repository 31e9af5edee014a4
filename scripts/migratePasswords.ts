/**
 * `node bin/scripts/migratePasswords.js --stack NAME [--cwd DIR]`: carries an existing stack's
 * generated passwords over from the dynamic-provider RandomPassword (before issue 19) to
 * `@pulumi/random`'s, keeping their values. Run it once before the first `pulumi up` of the new
 * program (platform/up.sh and the deploy workflow do); on a stack with nothing to carry over it
 * changes nothing.
 *
 * Why a state edit: the new program aliases the old type, but an alias alone makes the engine
 * replace the password (a new value), because the random provider reads the old state as schema
 * version 0, fills the missing `special` with its default (true) and `special` forces
 * replacement (seen with the real engine: "replace [diff: +special]"). After this edit the old
 * state says what the old passwords were (32 letters and digits: special false), so the engine
 * takes them over under the new type and provider as "same": no replace, same value, and the
 * objects that hold the password (Secrets, databases) see no change.
 *
 * The edit goes through `pulumi stack export` / `pulumi stack import`, the engine's own state
 * edit; secrets stay encrypted (the result is copied as the exported ciphertext).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LEGACY_PASSWORD_TYPE } from "../components/secret/randomPassword";

/** A resource of an exported deployment (the fields this edit reads or writes). */
export interface StateResource {
    readonly urn: string;
    readonly type: string;
    outputs?: Record<string, unknown>;
    readonly [key: string]: unknown;
}

/** `pulumi stack export` output (version 3). */
export interface ExportedState {
    readonly version: number;
    readonly deployment: { resources?: StateResource[]; readonly [key: string]: unknown };
}

/**
 * The state with every old password's outputs rewritten for the random provider: its result
 * (as exported, still encrypted) and length, `special: false` (the old alphabet had letters and
 * digits only) and the provider's fixed ID attribute "none". The closure of the old dynamic
 * provider (`__provider`) is dropped. Passwords already migrated are left alone.
 * @returns a copy of the state and the URNs it changed (empty: nothing to do).
 */
export function migrateState(state: ExportedState): { state: ExportedState; migrated: string[] } {
    const copy = structuredClone(state);
    const migrated: string[] = [];
    for (const resource of copy.deployment.resources ?? []) {
        const outputs = resource.outputs;
        if (resource.type !== LEGACY_PASSWORD_TYPE || outputs === undefined || outputs.special !== undefined) continue;
        if (outputs.result === undefined || typeof outputs.length !== "number")
            throw new Error(`${resource.urn}: no result or length in its state; cannot carry this password over`);
        resource.outputs = { id: "none", length: outputs.length, result: outputs.result, special: false };
        migrated.push(resource.urn);
    }
    return { state: copy, migrated };
}

function pulumi(args: readonly string[], cwd: string): string {
    const result = spawnSync("pulumi", [...args, "--non-interactive"], { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(`pulumi ${args.join(" ")} failed (exit ${String(result.status)}):\n${result.stderr}`);
    return result.stdout;
}

function main(argv: readonly string[]): void {
    const option = (name: string) => {
        const i = argv.indexOf(name);
        return i >= 0 ? argv[i + 1] : undefined;
    };
    const stack = option("--stack");
    const cwd = option("--cwd") ?? process.cwd();
    if (stack === undefined) throw new Error("usage: migratePasswords --stack NAME [--cwd DIR]");
    const { state, migrated } = migrateState(JSON.parse(pulumi(["stack", "export", "--stack", stack], cwd)) as ExportedState);
    if (migrated.length === 0) {
        console.log(`passwords: nothing to carry over in stack ${stack}`);
        return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migrate-passwords-"));
    try {
        const file = path.join(dir, "state.json");
        fs.writeFileSync(file, JSON.stringify(state), { mode: 0o600 });
        pulumi(["stack", "import", "--stack", stack, "--file", file], cwd);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
    console.log(`passwords: carried ${migrated.length} over to @pulumi/random in stack ${stack} (values kept):`);
    for (const urn of migrated) console.log(`  ${urn}`);
}

if (require.main === module) {
    try {
        main(process.argv.slice(2));
    } catch (err) {
        console.error(err instanceof Error ? err.message : String(err));
        process.exit(1);
    }
}
