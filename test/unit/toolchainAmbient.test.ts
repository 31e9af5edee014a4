/**
 * The user's own tools first: a `pulumi` on PATH of the pinned major, not older than
 * tools/versions.env's PULUMI_VERSION, is used as it is (its PULUMI_HOME, login and plugins) and
 * nothing is built for it; only a provider plugin its PULUMI_HOME lacks is built and installed.
 * A fake `pulumi` in a temporary bin folder answers `version` and `plugin ls --json` and records
 * every call; a fake `go` records any build. Decisions that would compile for half an hour are
 * checked through `toolchain.sh plan`, which prints them and changes nothing.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "../../harness/stackFiles";

const TOOLCHAIN = path.join(PROJECT_DIR, "tools", "toolchain.sh");
const BOTH_PLUGINS = JSON.stringify([
    { name: "kubernetes", kind: "resource", version: "4.25.0" },
    { name: "docker-build", kind: "resource", version: "0.0.22" },
]);

/** A scratch machine: a bin folder with a fake pulumi and go, an empty cache, a user PULUMI_HOME. */
interface Machine {
    readonly root: string;
    readonly bin: string;
    readonly cache: string;
    readonly pulumiHome: string;
    readonly env: NodeJS.ProcessEnv;
    /** Arguments of every call the fake `pulumi` got, one line each. */
    pulumiCalls(): string[];
    /** Arguments of every call the fake `go` got. */
    goCalls(): string[];
}

function machine(pulumiVersion: string, pluginList: string): Machine {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "toolchain-ambient-"));
    const bin = path.join(root, "bin");
    fs.mkdirSync(bin);
    const record = (name: string) => path.join(root, `${name}.calls`);
    fs.writeFileSync(
        path.join(bin, "pulumi"),
        `#!/bin/sh\necho "$*" >> '${record("pulumi")}'\ncase "$1" in\n  version) echo ${pulumiVersion} ;;\n  plugin) [ "$2" = ls ] && echo '${pluginList}' ;;\nesac\nexit 0\n`,
        { mode: 0o755 },
    );
    fs.writeFileSync(path.join(bin, "go"), `#!/bin/sh\necho "$*" >> '${record("go")}'\nexit 1\n`, { mode: 0o755 });
    const lines = (name: string) => (fs.existsSync(record(name)) ? fs.readFileSync(record(name), "utf8").split("\n").filter(Boolean) : []);
    const cache = path.join(root, "cache");
    const pulumiHome = path.join(root, "pulumi-home");
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        PATH: `${bin}:${process.env.PATH ?? ""}`,
        PLATFORM_CACHE: cache,
        PULUMI_HOME: pulumiHome,
        TOOLCHAIN_LOG: "",
    };
    delete env.TOOLCHAIN_IGNORE_AMBIENT;
    return { root, bin, cache, pulumiHome, env, pulumiCalls: () => lines("pulumi"), goCalls: () => lines("go") };
}

function toolchain(m: Machine, ...args: string[]): string {
    const run = spawnSync("bash", [TOOLCHAIN, ...args], { cwd: PROJECT_DIR, env: m.env, encoding: "utf8" });
    assert.strictEqual(run.status, 0, `toolchain.sh ${args.join(" ")} failed:\n${run.stdout}\n${run.stderr}`);
    return run.stdout;
}

/** What `source tools/env.sh` leaves: the pulumi found first, PULUMI_HOME and the isolation switch. */
function envAfterSourcing(m: Machine): { pulumi: string; pulumiHome: string; ignoreAmbientPlugins: string } {
    const script = `source tools/env.sh; printf '%s\\n' "$(command -v pulumi)" "$PULUMI_HOME" "\${PULUMI_IGNORE_AMBIENT_PLUGINS:-unset}"`;
    const run = spawnSync("bash", ["-c", script], { cwd: PROJECT_DIR, env: m.env, encoding: "utf8" });
    assert.strictEqual(run.status, 0, run.stderr);
    const [pulumi, pulumiHome, ignoreAmbientPlugins] = run.stdout.trim().split("\n");
    return { pulumi, pulumiHome, ignoreAmbientPlugins };
}

/** Folders of built pieces in the cache (none may appear for a tool the user has). */
function builtPieces(m: Machine): string[] {
    const tc = path.join(m.cache, "toolchain");
    return fs.existsSync(tc) ? fs.readdirSync(tc) : [];
}

describe("toolchain: the user's own pulumi first (tools/ambient.sh)", function () {
    this.timeout(60_000);
    const machines: Machine[] = [];
    const make = (version: string, plugins: string) => {
        const m = machine(version, plugins);
        machines.push(m);
        return m;
    };

    after(() => {
        for (const m of machines) fs.rmSync(m.root, { recursive: true, force: true });
    });

    it("a pulumi of the pinned version with both plugins: used as it is, nothing built, nothing installed", () => {
        const m = make("v3.248.0", BOTH_PLUGINS);
        const out = toolchain(m, "pulumi", "kubernetes-provider");
        assert.ok(
            out.includes(
                `pulumi: using yours, ${m.bin}/pulumi v3.248.0, with your PULUMI_HOME (${m.pulumiHome}), login and plugins; nothing built for it`,
            ),
            out,
        );
        assert.ok(out.includes(`kubernetes plugin 4.25.0: found in your PULUMI_HOME (${m.pulumiHome}); nothing built for it`), out);
        assert.deepStrictEqual(
            { pieces: builtPieces(m), go: m.goCalls(), pulumi: m.pulumiCalls() },
            { pieces: [], go: [], pulumi: ["version", "plugin ls --json"] },
        );
        assert.ok(!fs.existsSync(m.pulumiHome), "the toolchain wrote into the user's PULUMI_HOME");
        // The environment keeps the user's CLI, PULUMI_HOME and plugin lookup.
        assert.deepStrictEqual(envAfterSourcing(m), { pulumi: `${m.bin}/pulumi`, pulumiHome: m.pulumiHome, ignoreAmbientPlugins: "unset" });
    });

    it("a newer pulumi of the same major counts as the user's own", () => {
        const m = make("v3.260.1", BOTH_PLUGINS);
        const out = toolchain(m, "plan", "pulumi");
        assert.match(out, /pulumi: using yours, .*\/pulumi v3\.260\.1,/);
        assert.doesNotMatch(out, /would build/);
    });

    for (const [version, why] of [
        ["v3.100.0", "older than 3.248.0"],
        ["v4.0.0", "another major than 3.248.0"],
    ] as const) {
        it(`a pulumi ${version} (${why}): ours is built, and the environment isolates it`, () => {
            const m = make(version, BOTH_PLUGINS);
            const out = toolchain(m, "plan", "pulumi");
            assert.ok(out.includes(`pulumi: building our own 3.248.0 (${m.bin}/pulumi is ${version}, ${why})`), out);
            assert.ok(out.includes(`pulumi 3.248.0: would build, expected ~5m30s cold -> ${m.cache}/toolchain/pulumi-3.248.0`), out);
            assert.deepStrictEqual({ pieces: builtPieces(m), go: m.goCalls() }, { pieces: [], go: [] }, "plan changed something");
            const cache = path.join(m.cache, "toolchain", "pulumi-3.248.0", "bin");
            fs.mkdirSync(cache, { recursive: true });
            fs.copyFileSync(path.join(m.bin, "pulumi"), path.join(cache, "pulumi"));
            assert.deepStrictEqual(envAfterSourcing(m), {
                pulumi: `${cache}/pulumi`,
                pulumiHome: path.join(m.cache, "pulumi-home"),
                ignoreAmbientPlugins: "true",
            });
        });
    }

    it("the user's pulumi lacks both plugins: it is still used, and just the plugins are built and installed into its PULUMI_HOME", () => {
        const m = make("v3.248.0", "[]");
        const out = toolchain(m, "plan", "pulumi", "kubernetes-provider", "docker-build");
        assert.match(out, /pulumi: using yours, /);
        assert.doesNotMatch(out, /pulumi 3\.248\.0: would build/);
        for (const [plugin, version, piece] of [
            ["kubernetes", "4.25.0", "pulumi-kubernetes"],
            ["docker-build", "0.0.22", "pulumi-docker-build"],
        ]) {
            assert.ok(
                out.includes(
                    `${plugin} plugin ${version}: not in your PULUMI_HOME (${m.pulumiHome}); building just this plugin and installing it there`,
                ),
                out,
            );
            assert.ok(out.includes(`${piece} ${version}: would build`), out);
            assert.ok(out.includes(`${plugin} plugin ${version}: would be installed into ${m.pulumiHome}`), out);
        }
        assert.deepStrictEqual(
            { pieces: builtPieces(m), go: m.goCalls(), installs: m.pulumiCalls().filter((c) => c.startsWith("plugin install")) },
            { pieces: [], go: [], installs: [] },
        );
    });

    it("TOOLCHAIN_IGNORE_AMBIENT=1 builds from source even with a fitting pulumi on PATH", () => {
        const m = make("v3.248.0", BOTH_PLUGINS);
        const out = toolchain({ ...m, env: { ...m.env, TOOLCHAIN_IGNORE_AMBIENT: "1" } }, "plan", "pulumi");
        assert.ok(out.includes("pulumi: building our own 3.248.0 (TOOLCHAIN_IGNORE_AMBIENT is set)"), out);
    });

    it("the real CLI built by the toolchain, copied into a bin folder of the user's: used, nothing built for it", function () {
        const cache = process.env.PLATFORM_CACHE ?? path.join(os.homedir(), ".cache", "multicloud-platform");
        const built = path.join(cache, "toolchain", "pulumi-3.248.0", "bin", "pulumi");
        if (!fs.existsSync(built)) this.skip();
        const m = make("unused", "[]");
        // A copy, not a link: the toolchain rightly refuses its own cache's binaries as "yours".
        fs.copyFileSync(built, path.join(m.bin, "pulumi"));
        const out = toolchain(m, "plan", "pulumi", "kubernetes-provider");
        assert.ok(out.includes(`pulumi: using yours, ${m.bin}/pulumi v3.248.0, with your PULUMI_HOME (${m.pulumiHome})`), out);
        assert.ok(out.includes(`kubernetes plugin 4.25.0: not in your PULUMI_HOME (${m.pulumiHome}); building just this plugin`), out);
        assert.doesNotMatch(out, /pulumi 3\.248\.0: would build/);
        assert.deepStrictEqual(m.goCalls(), []);
    });
});
