/**
 * Generated passwords are @pulumi/random's RandomPassword on every committed stack (issue 19):
 * 32 letters and digits, a secret result, aliased from the dynamic-provider type they had, and
 * no dynamic provider left on the Kubernetes targets. Plus the state edit that carries an
 * existing stack's passwords over (scripts/migratePasswords.ts); the engine side of it is
 * test/e2e/passwordMigration.e2e.test.ts.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { LEGACY_PASSWORD_TYPE, PASSWORD_LENGTH } from "../../components/secret/randomPassword";
import { runStack, StackRun, withScratchKubeconfig } from "../../harness/runStack";
import { PROJECT_DIR, readStackFile } from "../../harness/stackFiles";
import { ExportedState, migrateState, StateResource } from "../../scripts/migratePasswords";
import { ofType } from "./support/inspect";

const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";

/** The passwords each committed stack generates, by name, with their parent component. */
const EXPECTED: Record<string, Record<string, string>> = {
    dev: { "data-postgres-password": "platform:data:InClusterData", "data-redis-password": "platform:data:InClusterData" },
    staging: {
        "aws-data-postgres-password": "platform:cluster:AwsManagedData",
        "aws-data-redis-auth": "platform:cluster:AwsManagedData",
    },
    prod: { "azure-data-postgres-password": "platform:cluster:AzureData" },
    swarm: { "data-postgres-password": "platform:data:SwarmData", "data-redis-password": "platform:data:SwarmData" },
};

/** Swarm's objects are dynamic providers over the Docker Engine API (docs/swarm.md); nothing else is. */
const SWARM_DYNAMIC = [
    "pulumi-nodejs:dynamic/platform:SwarmNetwork",
    "pulumi-nodejs:dynamic/platform:SwarmSecret",
    "pulumi-nodejs:dynamic/platform:SwarmService",
    "pulumi-nodejs:dynamic/platform:SwarmVolume",
];

describe("generated passwords: @pulumi/random on every target", () => {
    const runs = new Map<string, StackRun>();
    const run = async (stack: string): Promise<StackRun> => {
        let result = runs.get(stack);
        if (result === undefined) {
            result = await runStack(stack, withScratchKubeconfig(readStackFile(stack)));
            if (result.error) throw result.error;
            runs.set(stack, result);
        }
        return result;
    };

    for (const [stack, expected] of Object.entries(EXPECTED)) {
        it(`${stack}: ${Object.keys(expected).join(", ")} are random.RandomPassword, length 32, special false, result secret`, async () => {
            const passwords = ofType((await run(stack)).registrations, RANDOM_PASSWORD);
            assert.deepStrictEqual(
                Object.fromEntries(passwords.map((p) => [p.name, p.parentType])),
                expected,
                "the passwords (names and parents are the state contract)",
            );
            for (const p of passwords) {
                assert.deepStrictEqual(p.inputs, { length: 32, special: false }, `${p.name} inputs`);
                assert.ok(p.secretOutputs.includes("result"), `${p.name}: result not marked secret (${p.secretOutputs.join(", ")})`);
                assert.strictEqual(p.provider, "", `${p.name}: not the default random provider`);
            }
        });

        it(`${stack}: each password is aliased from the dynamic-provider type it had, same name and parent`, async () => {
            for (const p of ofType((await run(stack)).registrations, RANDOM_PASSWORD))
                assert.deepStrictEqual(p.aliases, [{ urn: "", type: "pulumi-nodejs:dynamic/platform:RandomPassword", name: "" }], p.name);
        });
    }

    for (const stack of ["dev", "staging", "prod"]) {
        it(`${stack} (Kubernetes): no dynamic provider is registered`, async () => {
            const dynamic = (await run(stack)).registrations.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
            assert.deepStrictEqual(
                dynamic.map((r) => `${r.type}::${r.name}`),
                [],
            );
        });
    }

    it("swarm: the only dynamic providers left are the Engine API objects", async () => {
        const dynamic = new Set(
            (await run("swarm")).registrations.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic")).map((r) => r.type),
        );
        assert.deepStrictEqual([...dynamic].sort(), SWARM_DYNAMIC);
    });

    it("the length is 32 and the legacy type is the one the old component registered", () => {
        assert.strictEqual(PASSWORD_LENGTH, 32);
        assert.strictEqual(LEGACY_PASSWORD_TYPE, "pulumi-nodejs:dynamic/platform:RandomPassword");
    });

    it("npm @pulumi/random is pinned exactly to the plugin version the toolchain builds (tools/versions.env)", () => {
        const pinned = /^PULUMI_RANDOM_VERSION=(\S+)$/m.exec(fs.readFileSync(path.join(PROJECT_DIR, "tools", "versions.env"), "utf8"))?.[1];
        const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as {
            dependencies: Record<string, string>;
        };
        const installed = JSON.parse(
            fs.readFileSync(path.join(PROJECT_DIR, "node_modules", "@pulumi", "random", "package.json"), "utf8"),
        ) as {
            pulumi: { name: string; version: string };
        };
        // The engine asks for the plugin named and versioned in the installed package's "pulumi" field.
        assert.deepStrictEqual(
            [manifest.dependencies["@pulumi/random"], installed.pulumi],
            [pinned, { ...installed.pulumi, name: "random", version: pinned }],
        );
    });

    it("platform/up.sh carries old passwords over before its pulumi up, only when the state still has the old type", () => {
        const up = fs.readFileSync(path.join(PROJECT_DIR, "platform", "up.sh"), "utf8");
        const migrate = up.indexOf('node "$REPO/bin/scripts/migratePasswords.js" --stack "$STACK"');
        const guard = up.indexOf(`grep -Eqs '"type": ?"${LEGACY_PASSWORD_TYPE}"'`);
        const deploy = up.indexOf("pulumi_stack up --yes");
        assert.ok(guard > 0 && guard < migrate && migrate < deploy, "up.sh: grep for the old type, then the migration, then pulumi up");
    });
});

describe("scripts/migratePasswords.ts: the state edit that keeps an existing stack's passwords", () => {
    const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc:def" };
    const legacy = (name: string): StateResource => ({
        urn: `urn:pulumi:dev::platform::platform:data:InClusterData$${LEGACY_PASSWORD_TYPE}::${name}`,
        type: LEGACY_PASSWORD_TYPE,
        id: "6d621dea-3aaa-4b39-aa69-b835954fbe5a",
        inputs: { __provider: "exports.handler = __f0;", length: 32 },
        outputs: { __provider: "exports.handler = __f0;", length: 32, result: SECRET },
    });
    const secretObject: StateResource = {
        urn: "urn:pulumi:dev::platform::kubernetes:core/v1:Secret::data-postgres-auth",
        type: "kubernetes:core/v1:Secret",
        outputs: { stringData: SECRET },
    };
    const state = (): ExportedState => ({
        version: 3,
        deployment: { manifest: {}, resources: [legacy("data-postgres-password"), secretObject, legacy("data-redis-password")] },
    });

    it("gives each old password the random provider's shape: its ciphertext and length, special false, id none", () => {
        const { state: migrated, migrated: urns } = migrateState(state());
        assert.deepStrictEqual(urns, [state().deployment.resources?.[0].urn, state().deployment.resources?.[2].urn]);
        for (const index of [0, 2]) {
            const r = migrated.deployment.resources?.[index];
            assert.deepStrictEqual(r?.outputs, { id: "none", length: 32, result: SECRET, special: false });
            // Type, URN, ID and inputs stay: the program's alias and the engine move it to the new type.
            assert.strictEqual(r?.type, LEGACY_PASSWORD_TYPE);
            assert.strictEqual(r?.id, "6d621dea-3aaa-4b39-aa69-b835954fbe5a");
        }
        assert.deepStrictEqual(migrated.deployment.resources?.[1], secretObject, "another resource was changed");
        assert.deepStrictEqual(migrated.deployment.manifest, {});
    });

    it("is idempotent and leaves its input alone", () => {
        const input = state();
        const once = migrateState(input).state;
        assert.deepStrictEqual(input, state(), "the input was mutated");
        assert.deepStrictEqual(migrateState(once), { state: once, migrated: [] });
    });

    it("changes nothing on a stack without old passwords (a new stack, or one already on @pulumi/random)", () => {
        const empty: ExportedState = { version: 3, deployment: {} };
        assert.deepStrictEqual(migrateState(empty), { state: empty, migrated: [] });
        const current: ExportedState = { version: 3, deployment: { resources: [{ ...secretObject, type: RANDOM_PASSWORD }] } };
        assert.deepStrictEqual(migrateState(current).migrated, []);
    });

    it("refuses an old password without a result instead of writing a state that would replace it", () => {
        const broken = state();
        const first = broken.deployment.resources?.[0];
        if (first) first.outputs = { length: 32 };
        assert.throws(() => migrateState(broken), /data-postgres-password: no result or length in its state/);
    });
});
