/**
 * Issue 19 through the real engine: a dev stack deployed by the program as it was before
 * (passwords from a dynamic provider) keeps its passwords when the current program
 * (`@pulumi/random`, aliased from the old type) takes over, after the state edit
 * scripts/migratePasswords.ts (platform/up.sh and the deploy workflow run it); and that without
 * the edit the alias alone would replace both passwords. On the harness of engine.e2e.test.ts:
 * a real control plane with kwok nodes, real image builds. kwok runs no container, so "the app
 * still connects" is shown by its inputs: the servers' and the app's Secrets keep the same data
 * and resourceVersion, and the state the same password values.
 *
 * The old program is the repository at OLD_PROGRAM_COMMIT (git archive), compiled into a temp
 * folder; the new one is this checkout's compiled bin/ copied over it, so both run from the same
 * folder and the images' build contexts are the same paths. Needs the git history (a clone).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { LEGACY_PASSWORD_TYPE } from "../../components/secret/randomPassword";
import { configOnHarness, Harness, startHarness } from "../../harness/engineHarness";
import { createStack, stepsOf, TestStack } from "../../harness/pulumiCli";
import { must, REPO, run, seconds, toolchainEnv } from "../../harness/shell";

/**
 * main just before the passwords moved to @pulumi/random (the first parent of that merge): the
 * program then differs from this one in the passwords alone, plus whatever came later. Later
 * features may add or update resources; what this test refuses is a password, or anything holding
 * one, being replaced or deleted.
 */
const OLD_PROGRAM_COMMIT = "68d995ad54c0b9c856c3435c03b1c28587178c4d";
const STACK = "pwmigration";
const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";
/** The Secrets that hold the generated passwords: the servers' (auth) and the app's (connection). */
const PASSWORD_SECRETS = ["postgres-auth", "redis-auth", "web-connection"];

function log(line: string): void {
    console.log(`      [engine e2e: passwords] ${line}`);
}

interface StateResource {
    readonly urn: string;
    readonly type: string;
    readonly outputs?: Record<string, unknown>;
}

/** Plain text of a value from `stack export --show-secrets` (secrets come as {sig, plaintext}). */
function plain(value: unknown): unknown {
    if (value !== null && typeof value === "object" && "plaintext" in value) return JSON.parse(String(value.plaintext)) as unknown;
    return value;
}

describe("engine e2e: an existing dev stack keeps its passwords when @pulumi/random takes over", function () {
    let harness: Harness;
    let stack: TestStack;
    let program: string;
    let kubectlEnv: NodeJS.ProcessEnv;
    const kubectl = (args: readonly string[]) => must("kubectl", ["--kubeconfig", harness.kubeconfig, ...args], { env: kubectlEnv });

    /** name -> password of every generated password in the state, with the type it has there. */
    const passwordsInState = async (): Promise<Map<string, { type: string; value: unknown }>> => {
        const exported = await stack.stackCommand(["stack", "export", "--show-secrets"]);
        assert.strictEqual(exported.code, 0, exported.stderr);
        const resources = (JSON.parse(exported.stdout) as { deployment: { resources?: StateResource[] } }).deployment.resources ?? [];
        const found = new Map<string, { type: string; value: unknown }>();
        for (const r of resources)
            if (r.type === LEGACY_PASSWORD_TYPE || r.type === RANDOM_PASSWORD)
                found.set(r.urn.split("::").pop() ?? "", { type: r.type, value: plain(r.outputs?.result) });
        return found;
    };
    /** The password Secrets as the API server holds them: data and resourceVersion. */
    const secretsInCluster = async (): Promise<Record<string, { data: Record<string, string>; resourceVersion: string }>> => {
        const out: Record<string, { data: Record<string, string>; resourceVersion: string }> = {};
        for (const name of PASSWORD_SECRETS) {
            const s = JSON.parse(await kubectl(["-n", "app", "get", "secret", name, "-o", "json"])) as {
                data: Record<string, string>;
                metadata: { resourceVersion: string };
            };
            out[name] = { data: s.data, resourceVersion: s.metadata.resourceVersion };
        }
        return out;
    };

    before(async function () {
        this.timeout(60 * 60 * 1000);
        let t = Date.now();
        await must(path.join(REPO, "tools", "toolchain.sh"), ["all"], { timeoutMs: 60 * 60 * 1000 });
        log(`toolchain ready (${seconds(Date.now() - t)})`);
        kubectlEnv = await toolchainEnv();
        harness = await startHarness(log);

        t = Date.now();
        program = path.join(harness.dir, "program");
        fs.mkdirSync(program);
        const archive = await run("bash", ["-c", `git -C "${REPO}" archive --format=tar ${OLD_PROGRAM_COMMIT} | tar -x -C "${program}"`]);
        assert.strictEqual(
            archive.code,
            0,
            `cannot read the old program (commit ${OLD_PROGRAM_COMMIT}; a shallow clone?):\n${archive.stderr}`,
        );
        fs.symlinkSync(path.join(REPO, "node_modules"), path.join(program, "node_modules"));
        await must(
            process.execPath,
            [path.join(REPO, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(program, "tsconfig.json")],
            {
                cwd: program,
            },
        );
        log(`old program compiled (${seconds(Date.now() - t)})`);

        const dev = parse(fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> };
        stack = await createStack(
            harness.dir,
            STACK,
            configOnHarness(dev.config, harness),
            { DOCKER_CONFIG: harness.dockerConfig },
            program,
        );
    });

    after(async function () {
        this.timeout(10 * 60 * 1000);
        if (stack) await stack.pulumi(["destroy", "--yes", "--skip-preview"]);
        if (harness) await harness.stop();
        if (harness && process.env.E2E_KEEP !== "1") fs.rmSync(harness.dir, { recursive: true, force: true });
    });

    let passwordsBefore: Map<string, { type: string; value: unknown }>;
    let secretsBefore: Record<string, { data: Record<string, string>; resourceVersion: string }>;

    it("the old program deploys the dev stack with dynamic-provider passwords", async function () {
        this.timeout(30 * 60 * 1000);
        const t = Date.now();
        const up = await stack.pulumi(["up", "--yes", "--skip-preview"]);
        assert.strictEqual(up.code, 0, `old pulumi up failed:\n${up.stdout.slice(-6000)}\n${up.stderr.slice(-3000)}`);
        log(`old program's pulumi up: ${seconds(Date.now() - t)}`);
        passwordsBefore = await passwordsInState();
        assert.deepStrictEqual(
            [...passwordsBefore]
                .map(([name, p]) => [name, p.type, typeof p.value === "string" && /^[A-Za-z0-9]{32}$/.test(p.value)])
                .sort(),
            [
                ["data-postgres-password", LEGACY_PASSWORD_TYPE, true],
                ["data-redis-password", LEGACY_PASSWORD_TYPE, true],
            ],
        );
        secretsBefore = await secretsInCluster();
        const postgres = passwordsBefore.get("data-postgres-password")?.value;
        assert.strictEqual(Buffer.from(secretsBefore["postgres-auth"].data.password, "base64").toString(), postgres);
    });

    it("the state edit, then the new program: the engine keeps both passwords (same), replaces and deletes nothing", async function () {
        this.timeout(30 * 60 * 1000);
        // The current program over the old one, in the same folder.
        fs.rmSync(path.join(program, "bin"), { recursive: true, force: true });
        fs.cpSync(path.join(REPO, "bin"), path.join(program, "bin"), { recursive: true });
        for (const file of ["package.json", "Pulumi.yaml"]) fs.copyFileSync(path.join(REPO, file), path.join(program, file));

        // What the engine does with the alias alone (no state edit): it replaces both passwords,
        // because the random provider reads `special` as its default, true ("[diff: +special]"),
        // and with them what holds them (Secrets, then the workloads that mount them).
        const unedited = await stack.pulumi(["preview", "--json"]);
        assert.strictEqual(unedited.code, 0, unedited.stderr.slice(-3000));
        const steps = (JSON.parse(unedited.stdout) as { steps?: { op: string; urn: string; diffReasons?: string[] }[] }).steps ?? [];
        const replaced = new Map(
            steps.filter((step) => step.op === "replace").map((step) => [step.urn.split("::").pop(), step.diffReasons]),
        );
        log(`preview with the alias alone replaces: ${[...replaced.keys()].join(", ")}`);
        assert.deepStrictEqual([replaced.get("data-postgres-password"), replaced.get("data-redis-password")], [["special"], ["special"]]);
        for (const holder of ["data-postgres-auth", "data-redis-auth", "app-web-connection"])
            assert.ok(replaced.has(holder), `${holder} not replaced with the passwords`);

        const migrate = await run(
            process.execPath,
            [path.join(REPO, "bin", "scripts", "migratePasswords.js"), "--stack", STACK, "--cwd", program],
            {
                env: stack.env,
                cwd: program,
            },
        );
        assert.strictEqual(migrate.code, 0, migrate.stderr);
        assert.match(migrate.stdout, /carried 2 over to @pulumi\/random/);

        const preview = await stack.pulumi(["preview", "--json"]);
        assert.strictEqual(preview.code, 0, `${preview.stdout.slice(-4000)}\n${preview.stderr.slice(-3000)}`);
        // The JSON lists the steps that do something (and the Stack); changeSummary counts them all.
        const planned = JSON.parse(preview.stdout) as { steps?: { op: string; urn: string }[]; changeSummary?: Record<string, number> };
        const acting = (planned.steps ?? [])
            .filter((step) => step.op !== "same")
            .map((step) => `${step.op} ${step.urn.split("::").pop() ?? ""}`);
        log(`preview after the edit: ${JSON.stringify(planned.changeSummary)}; steps that act: ${acting.join(", ") || "none"}`);
        for (const op of ["delete", "replace", "create-replacement", "delete-replaced"]) {
            assert.strictEqual(planned.changeSummary?.[op], undefined, `${op} in ${JSON.stringify(planned.changeSummary)}`);
            assert.deepStrictEqual(stepsOf(preview.stdout, op), [], `${op} steps`);
        }
        assert.deepStrictEqual(
            acting.filter((step) => /-password$/.test(step)),
            [],
            "a password would change",
        );
        assert.ok(
            (planned.changeSummary?.same ?? 0) > 20,
            `the stack's resources are not "same": ${JSON.stringify(planned.changeSummary)}`,
        );

        const t = Date.now();
        const up = await stack.pulumi(["up", "--yes", "--skip-preview"]);
        assert.strictEqual(up.code, 0, `new pulumi up failed:\n${up.stdout.slice(-6000)}\n${up.stderr.slice(-3000)}`);
        log(`new program's pulumi up: ${seconds(Date.now() - t)}`);
        const history = await stack.stackCommand(["stack", "history", "--json"]);
        const last = (JSON.parse(history.stdout) as { resourceChanges?: Record<string, number> }[])[0];
        log(`the update's resource changes: ${JSON.stringify(last.resourceChanges)}`);
        for (const op of ["delete", "replace"]) assert.strictEqual(last.resourceChanges?.[op], undefined, `${op} in the update`);
    });

    it("state and cluster hold the same passwords as before, now under @pulumi/random; the Secrets were not touched", async function () {
        this.timeout(10 * 60 * 1000);
        const after = await passwordsInState();
        for (const [name, old] of passwordsBefore)
            assert.deepStrictEqual(after.get(name), { type: RANDOM_PASSWORD, value: old.value }, name);
        assert.deepStrictEqual(await secretsInCluster(), secretsBefore, "a password Secret changed (data or resourceVersion)");
    });

    it("afterwards a refresh keeps the passwords and a preview finds nothing to do", async function () {
        this.timeout(10 * 60 * 1000);
        // The refresh rewrites the carried-over state in the provider's own shape (bcrypt hash, schema version).
        const refresh = await stack.pulumi(["refresh", "--yes", "--skip-preview"]);
        assert.strictEqual(refresh.code, 0, refresh.stdout.slice(-4000));
        const after = await passwordsInState();
        for (const [name, old] of passwordsBefore) assert.deepStrictEqual(after.get(name)?.value, old.value, name);
        const preview = await stack.pulumi(["preview", "--expect-no-changes"]);
        assert.strictEqual(preview.code, 0, `preview found changes:\n${preview.stdout.slice(-4000)}`);
        assert.deepStrictEqual(await secretsInCluster(), secretsBefore);
    });
});
