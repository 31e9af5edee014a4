/**
 * platform/prereqs.sh, which `npm run up` runs before it installs or starts anything: every
 * problem of the machine at once, one line each with its fix, a non-zero exit and nothing
 * changed. The machine is faked: PATH holds only stubs (uname, id, go, df, and apt-get or sudo
 * when a case has them) beside the few real tools the script uses, and a busy port is a server
 * this test opens on 127.0.0.1.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "../../harness/stackFiles";

/** Real tools the check may run, linked into the fake PATH. */
const REAL_TOOLS = ["sed", "awk", "sort", "head", "tail", "dirname", "cat"];
const GIB_KIB = 1024 * 1024;

interface FakeMachine {
    readonly os: string;
    readonly uid: number;
    readonly go?: string;
    readonly apt: boolean;
    readonly sudo: boolean;
    readonly freeKib: number;
}

/** The go version the wrapper modules need: the highest `go` line of tools/go/*\/go.mod. */
function goNeeded(): string {
    const dir = path.join(PROJECT_DIR, "tools", "go");
    const versions = fs.readdirSync(dir).flatMap((m) => {
        const file = path.join(dir, m, "go.mod");
        const match = fs.existsSync(file) ? /^go (\S+)$/m.exec(fs.readFileSync(file, "utf8")) : null;
        return match ? [match[1]] : [];
    });
    const parts = (v: string) => v.split(".").map(Number);
    return versions.sort((a, b) => {
        const [x, y] = [parts(a), parts(b)];
        for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
        return 0;
    })[versions.length - 1];
}

function fakeBin(root: string, m: FakeMachine): string {
    const bin = path.join(root, "bin");
    fs.mkdirSync(bin);
    const stub = (name: string, body: string) => {
        fs.writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
    };
    for (const tool of REAL_TOOLS) {
        const real = ["/usr/bin", "/bin"].map((d) => path.join(d, tool)).find((p) => fs.existsSync(p));
        assert.ok(real, `no ${tool} on this machine`);
        fs.symlinkSync(real, path.join(bin, tool));
    }
    stub("uname", `echo ${m.os}`);
    stub("id", `echo ${m.uid}`);
    if (m.go !== undefined) stub("go", `echo "go version go${m.go} linux/amd64"`);
    if (m.apt) stub("apt-get", "exit 0");
    if (m.sudo) stub("sudo", "exit 0");
    stub("df", `echo "Filesystem 1024-blocks Used Available Capacity Mounted on"; echo "/dev/fake 999999999 1 ${m.freeKib} 1% /"`);
    return bin;
}

/** Runs check_prereqs on the fake machine; returns its exit code and stderr lines. */
function check(m: FakeMachine, ports: [number, number], state: string, build: string): { code: number | null; lines: string[] } {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "prereqs-"));
    try {
        const bin = fakeBin(root, m);
        const script = `REPO='${PROJECT_DIR}' PLATFORM_DIR='${PROJECT_DIR}/platform'; source "$PLATFORM_DIR/prereqs.sh"; check_prereqs ${ports[0]} ${ports[1]} '${state}' '${build}'`;
        const run = spawnSync("/bin/bash", ["-c", script], { env: { PATH: bin, HOME: root }, encoding: "utf8" });
        return { code: run.status, lines: run.stderr.split("\n").filter(Boolean) };
    } finally {
        fs.rmSync(root, { recursive: true, force: true });
    }
}

function listen(): Promise<net.Server> {
    return new Promise((resolve) => {
        const server = net.createServer();
        server.listen(0, "127.0.0.1", () => {
            resolve(server);
        });
    });
}

const portOf = (s: net.Server) => (s.address() as net.AddressInfo).port;

/** A port nothing listens on: opened, read and closed again. */
async function freePort(): Promise<number> {
    const s = await listen();
    const port = portOf(s);
    await new Promise((resolve) => s.close(resolve));
    return port;
}

describe("platform prerequisites (platform/prereqs.sh)", () => {
    const servers: net.Server[] = [];
    let scratch: string;

    before(() => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "prereqs-state-"));
    });

    after(async () => {
        for (const s of servers) await new Promise((resolve) => s.close(resolve));
        fs.rmSync(scratch, { recursive: true, force: true });
    });

    it("a machine with every problem: all of them at once, one line each with its fix, exit 1, nothing made", async () => {
        const registry = await listen();
        const app = await listen();
        servers.push(registry, app);
        const [r, a] = [portOf(registry), portOf(app)];
        const state = path.join(scratch, "not-yet", ".platform");
        const build = path.join(scratch, "go-build");
        const result = check(
            { os: "Darwin", uid: 1000, go: "1.24.2", apt: false, sudo: false, freeKib: 3 * GIB_KIB },
            [r, a],
            state,
            build,
        );
        const need = goNeeded();
        assert.strictEqual(result.code, 1);
        assert.deepStrictEqual(result.lines.slice(0, 1), ["prerequisites: 7 problems; nothing was installed or started:"]);
        const expected: RegExp[] = [
            /^ {2}not Linux \(uname -s: Darwin\): the platform runs a real Kubernetes node .*; run it in a Linux machine or VM, e\.g\. Debian 12$/,
            /^ {2}neither root nor sudo \(uid 1000\): .*; run npm run up as root, or install sudo and allow this user to use it$/,
            /^ {2}no apt-get: the platform installs Debian packages .*; use Debian 12 or a derivative with apt$/,
            new RegExp(
                `^ {2}go 1\\.24\\.2 is older than ${need.replace(/\./g, "\\.")}, which tools/go/[a-z-]+/go\\.mod needs: install Go ${need.replace(/\./g, "\\.")} or newer`,
            ),
            new RegExp(
                `^ {2}port ${r} on 127\\.0\\.0\\.1 is taken: the platform's registry listens there; stop what holds it .* or use PLATFORM_REGISTRY_PORT and platform:local\\.registry$`,
            ),
            new RegExp(
                `^ {2}port ${a} on 127\\.0\\.0\\.1 is taken: the app's NodePort \\(platform:local\\.nodePortBase in Pulumi\\.dev\\.yaml\\); .* or change platform:local\\.nodePortBase$`,
            ),
            new RegExp(
                `^ {2}3 GiB free on /, 25 GiB needed for the state folder ${state} and the build caches ${build}: free some space, or point PLATFORM_STATE_DIR .* at a larger disk$`,
            ),
        ];
        const rest = result.lines.slice(1);
        assert.strictEqual(rest.length, expected.length, rest.join("\n"));
        expected.forEach((pattern, i) => {
            assert.match(rest[i], pattern);
        });
        assert.ok(!fs.existsSync(path.join(scratch, "not-yet")), "the check created the state folder");
    });

    it("a fitting machine passes silently: Linux, root, apt, a new enough Go, free ports, room on disk", async () => {
        const result = check(
            { os: "Linux", uid: 0, go: "1.26.8", apt: true, sudo: false, freeKib: 100 * GIB_KIB },
            [await freePort(), await freePort()],
            path.join(scratch, "s"),
            path.join(scratch, "b"),
        );
        assert.deepStrictEqual(result, { code: 0, lines: [] });
    });

    it("a user with sudo is not a problem; with nothing to build, Go is not needed and the state folder needs 10 GiB", async () => {
        const noGo = { os: "Linux", uid: 1000, apt: true, sudo: true } as const;
        const ports: [number, number] = [await freePort(), await freePort()];
        assert.deepStrictEqual(check({ ...noGo, freeKib: 11 * GIB_KIB }, ports, path.join(scratch, "s"), ""), { code: 0, lines: [] });
        const tight = check({ ...noGo, freeKib: 9 * GIB_KIB }, ports, path.join(scratch, "s"), "");
        assert.strictEqual(tight.code, 1);
        assert.deepStrictEqual(tight.lines.slice(0, 1), ["prerequisites: 1 problem; nothing was installed or started:"]);
        assert.match(tight.lines[1], new RegExp(`^ {2}9 GiB free on /, 10 GiB needed for the state folder ${path.join(scratch, "s")}: `));
        const missingGo = check({ ...noGo, freeKib: 100 * GIB_KIB }, ports, path.join(scratch, "s"), path.join(scratch, "b"));
        assert.match(
            missingGo.lines[1],
            /^ {2}no go on PATH: the toolchain compiles Pulumi and Kubernetes from Go modules; install Go \S+ or newer \(tools\/go\/[a-z-]+\/go\.mod needs it\)/,
        );
    });
});
