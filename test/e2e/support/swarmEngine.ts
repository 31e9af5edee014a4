/**
 * Processes the swarm e2e test owns: its own dockerd (vfs storage, no iptables, no default
 * bridge, everything under one temp folder) made a one-node swarm, and a Debian
 * docker-registry on a free loopback port. Each is stopped by its own pid, never by name.
 */
import { ChildProcess, execFile, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { engineRequest } from "../../../components/app/swarm/engine/client";

/** Runs a command, resolves with stdout; rejects with the tail of its output. */
export function sh(
    command: string,
    args: readonly string[],
    options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {},
): Promise<string> {
    return new Promise((resolve, reject) => {
        const child = execFile(
            command,
            args,
            { env: options.env ?? process.env, cwd: options.cwd, maxBuffer: 256 * 1024 * 1024 },
            (error, stdout, stderr) => {
                if (error)
                    reject(
                        new Error(
                            `${command} ${args.join(" ")} failed (${error.message.split("\n")[0]}):\n${(stdout + stderr).slice(-6000)}`,
                        ),
                    );
                else resolve(stdout);
            },
        );
        if (options.input !== undefined) child.stdin?.end(options.input);
    });
}

/** A free TCP port on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            server.close(() => {
                if (typeof address === "object" && address) resolve(address.port);
                else reject(new Error("no port"));
            });
        });
    });
}

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

/** Sends SIGTERM to one pid, waits up to `graceMs`, then SIGKILL. */
export async function stopPid(pid: number, graceMs: number): Promise<void> {
    if (!alive(pid)) return;
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + graceMs;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    if (alive(pid)) process.kill(pid, "SIGKILL");
    while (alive(pid)) await new Promise((r) => setTimeout(r, 100));
}

function startDetached(command: string, args: readonly string[], logFile: string, env?: NodeJS.ProcessEnv): ChildProcess {
    const log = fs.openSync(logFile, "a");
    const child = spawn(command, args, { detached: true, stdio: ["ignore", log, log], env: env ?? process.env });
    fs.closeSync(log);
    child.unref();
    return child;
}

/** A running engine of the test. */
export interface TestEngine {
    /** unix:// endpoint. */
    readonly host: string;
    readonly pid: number;
    readonly dir: string;
    /** Stops dockerd (this pid only), unmounts what it left under its folder, removes the host bridge it made. */
    stop(): Promise<void>;
}

async function linkExists(name: string): Promise<boolean> {
    return sh("ip", ["link", "show", name]).then(
        () => true,
        () => false,
    );
}

/** Starts dockerd under `dir` and makes it a one-node swarm advertised on 127.0.0.1. */
export async function startSwarmEngine(dir: string): Promise<TestEngine> {
    fs.mkdirSync(dir, { recursive: true });
    const socket = path.join(dir, "docker.sock");
    const host = `unix://${socket}`;
    const hadGwBridge = await linkExists("docker_gwbridge");
    if (hadGwBridge)
        throw new Error(
            "a docker_gwbridge already exists on this host: another swarm engine runs here; stop it first (two swarms on one host clash on it and on VXLAN port 4789)",
        );
    const child = startDetached(
        "dockerd",
        [
            "--storage-driver=vfs",
            // The routing mesh needs IPVS, which this kernel lacks (see docs/swarm.md); without a bridge
            // and iptables the engine leaves the host's firewall and docker0 alone.
            "--iptables=false",
            "--bridge=none",
            `--data-root=${path.join(dir, "root")}`,
            `--exec-root=${path.join(dir, "exec")}`,
            `--pidfile=${path.join(dir, "docker.pid")}`,
            `--host=${host}`,
        ],
        path.join(dir, "dockerd.log"),
    );
    if (child.pid === undefined) throw new Error("dockerd did not start");
    const pid = child.pid;
    const stop = async () => {
        await stopPid(pid, 30_000);
        const mounts = fs
            .readFileSync("/proc/self/mountinfo", "utf8")
            .split("\n")
            .map((line) => line.split(" ")[4])
            .filter((mountPoint): mountPoint is string => mountPoint !== undefined && mountPoint.startsWith(dir + "/"))
            .sort((a, b) => b.length - a.length);
        for (const mountPoint of mounts) await sh("umount", ["-l", mountPoint]).catch(() => undefined);
        if (await linkExists("docker_gwbridge")) await sh("ip", ["link", "delete", "docker_gwbridge"]).catch(() => undefined);
    };
    try {
        const deadline = Date.now() + 60_000;
        for (;;) {
            const ping = await engineRequest(host, "GET", "/_ping").catch(() => undefined);
            if (ping?.status === 200) break;
            if (Date.now() > deadline || !alive(pid))
                throw new Error(
                    `dockerd did not answer on ${socket}:\n${fs.readFileSync(path.join(dir, "dockerd.log"), "utf8").slice(-3000)}`,
                );
            await new Promise((r) => setTimeout(r, 500));
        }
        await sh("docker", ["--host", host, "swarm", "init", "--advertise-addr", "127.0.0.1"]);
    } catch (error) {
        await stop();
        throw error;
    }
    return { host, pid, dir, stop };
}

/** A running registry of the test. */
export interface TestRegistry {
    /** host:port */
    readonly address: string;
    readonly pid: number;
    stop(): Promise<void>;
}

/** Starts Debian's docker-registry on a free loopback port, storing under `dir`. */
export async function startRegistry(dir: string): Promise<TestRegistry> {
    fs.mkdirSync(path.join(dir, "data"), { recursive: true });
    const port = await freePort();
    const config = path.join(dir, "config.yml");
    fs.writeFileSync(
        config,
        [
            "version: 0.1",
            "log: {level: warn}",
            `storage: {filesystem: {rootdirectory: ${path.join(dir, "data")}}, delete: {enabled: true}}`,
            `http: {addr: "127.0.0.1:${port}"}`,
            "",
        ].join("\n"),
    );
    const child = startDetached("docker-registry", ["serve", config], path.join(dir, "registry.log"));
    if (child.pid === undefined) throw new Error("docker-registry did not start");
    const pid = child.pid;
    const stop = () => stopPid(pid, 10_000);
    const deadline = Date.now() + 30_000;
    for (;;) {
        const ok = await fetch(`http://127.0.0.1:${port}/v2/`).then(
            (r) => r.ok,
            () => false,
        );
        if (ok) break;
        if (Date.now() > deadline || !alive(pid)) {
            await stop();
            throw new Error(
                `docker-registry did not answer on 127.0.0.1:${port}:\n${fs.readFileSync(path.join(dir, "registry.log"), "utf8").slice(-2000)}`,
            );
        }
        await new Promise((r) => setTimeout(r, 300));
    }
    return { address: `127.0.0.1:${port}`, pid, stop };
}
