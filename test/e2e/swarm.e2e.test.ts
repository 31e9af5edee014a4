/**
 * The swarm target for real: its own dockerd made a one-node swarm, its own registry, base
 * images made locally (no pulls), the images built and pushed, and the stack deployed through
 * the real Pulumi engine (CLI from tools/toolchain.sh) with a file backend. Then: every service
 * at its replica count, the app answering on its published port (write an item, read it twice:
 * miss then hit), a replica change that is exactly one update, destroy, nothing left behind.
 *
 * Needs root, Debian's docker.io, docker-registry and debootstrap. Run: npm run test:e2e
 * (or: npx tsc -p . && npx mocha --config .mocharc.e2e.json --grep swarm).
 * SWARM_E2E_KEEP=1 leaves the temp folder (logs, state) in place; SWARM_E2E_BUILDER=standin builds
 * with the engine's classic builder instead of the real docker-build provider.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { engineCall } from "../../components/app/swarm/engine/client";
import type { ServiceInfo } from "../../components/app/swarm/engine/types";
import { serviceTasks } from "../../components/app/swarm/engine/wait";
import { freePort, sh, startRegistry, startSwarmEngine, TestEngine, TestRegistry } from "./support/swarmEngine";

const REPO = path.resolve(__dirname, "..", "..", "..");
const NAMESPACE = "app";
const DOCKER_BUILD_VERSION = "0.0.22";
/** = npm @pulumi/random and tools/versions.env PULUMI_RANDOM_VERSION: the generated passwords' plugin. */
const RANDOM_VERSION = "4.21.1";

function log(message: string): void {
    console.log(`      [swarm e2e ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const started = Date.now();
    const result = await fn();
    log(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result;
}

/** The environment tools/env.sh sets up (PATH with the toolchain's pulumi, PULUMI_* flags). */
async function toolchainEnv(): Promise<NodeJS.ProcessEnv> {
    const out = await sh("bash", ["-c", `source ${JSON.stringify(path.join(REPO, "tools", "env.sh"))} && env -0`]);
    const env: NodeJS.ProcessEnv = {};
    for (const entry of out.split("\0")) {
        const eq = entry.indexOf("=");
        if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return env;
}

describe("swarm target, deployed for real", function () {
    let tmp: string;
    let engine: TestEngine | undefined;
    let registry: TestRegistry | undefined;
    let env: NodeJS.ProcessEnv;
    let projectDir: string;
    let appUrl: string;
    let dockerBuildPlugin: string | undefined;
    let buildkitDir: string | undefined;
    const started = Date.now();

    const pulumi = (args: readonly string[]) =>
        sh("pulumi", [...args, "--non-interactive", "--cwd", projectDir, "--stack", "swarm"], { env, cwd: projectDir });
    const stackServices = async () => {
        const filters = encodeURIComponent(JSON.stringify({ label: [`com.docker.stack.namespace=${NAMESPACE}`] }));
        return (await engineCall<ServiceInfo[]>(engine?.host ?? "", "GET", `/services?filters=${filters}`)) ?? [];
    };
    const runningTasks = async (service: ServiceInfo) =>
        (await serviceTasks(engine?.host ?? "", service.ID)).filter((t) => t.DesiredState === "running" && t.Status.State === "running")
            .length;
    // A busy machine can restart a task after `up` returned; allow two minutes to be back at the count.
    const waitForReplicas = async (service: ServiceInfo, replicas = service.Spec.Mode.Replicated.Replicas) => {
        const deadline = Date.now() + 120_000;
        let running = await runningTasks(service);
        while (running !== replicas && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 2000));
            running = await runningTasks(service);
        }
        assert.strictEqual(running, replicas, `${service.Spec.Name}: ${running}/${replicas} tasks running`);
    };
    const waitForReady = async () => {
        const deadline = Date.now() + 120_000;
        for (;;) {
            const status = await fetch(`${appUrl}/readyz`).then(
                (r) => r.status,
                () => 0,
            );
            if (status === 200) return;
            if (Date.now() > deadline) assert.fail(`${appUrl}/readyz answered ${status} for two minutes`);
            await new Promise((r) => setTimeout(r, 2000));
        }
    };

    before(async function () {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "swarm-e2e-"));
        log(`work folder ${tmp}`);
        for (const tool of ["dockerd", "docker", "docker-registry", "debootstrap"]) {
            await sh("bash", ["-c", `command -v ${tool}`]).catch(() => {
                throw new Error(`${tool} is missing: apt-get install -y docker.io docker-registry debootstrap`);
            });
        }
        await timed("toolchain (tools/toolchain.sh pulumi random, cached)", () =>
            sh("bash", [path.join(REPO, "tools", "toolchain.sh"), "pulumi", "random"]),
        );
        // The real docker-build provider (tools/toolchain.sh) building through platform/buildkit.sh's
        // BuildKit daemon; the stand-in (support/swarmDockerBuild.ts) when it cannot be built or with
        // SWARM_E2E_BUILDER=standin.
        if (process.env.SWARM_E2E_BUILDER !== "standin") {
            dockerBuildPlugin = await timed("toolchain (tools/toolchain.sh docker-build, cached)", () =>
                sh("bash", [path.join(REPO, "tools", "toolchain.sh"), "docker-build"]).then(
                    () => {
                        const cache = process.env.PLATFORM_CACHE ?? path.join(os.homedir(), ".cache", "multicloud-platform");
                        const binary = path.join(
                            cache,
                            "toolchain",
                            `pulumi-docker-build-${DOCKER_BUILD_VERSION}`,
                            "bin",
                            "pulumi-resource-docker-build",
                        );
                        return fs.existsSync(binary) ? binary : undefined;
                    },
                    () => undefined,
                ),
            );
        }
        log(
            dockerBuildPlugin
                ? `images: real docker-build provider ${DOCKER_BUILD_VERSION} + BuildKit`
                : "images: docker-build stand-in (docker build + docker push)",
        );
        const baseTars = await timed("base image file systems (cached)", () =>
            sh("bash", [path.join(REPO, "test", "e2e", "support", "swarmBaseImages.sh")]),
        );
        const [debianTar, nodeTar] = baseTars.trim().split("\n");

        engine = await timed("dockerd + swarm init", () => startSwarmEngine(path.join(tmp, "engine")));
        registry = await timed("registry", () => startRegistry(path.join(tmp, "registry")));
        const docker = (args: readonly string[]) => sh("docker", ["--host", engine?.host ?? "", ...args]);
        // BuildKit pulls bases from a registry; the engine's classic builder (stand-in) uses local images.
        const basePrefix = dockerBuildPlugin ? `${registry.address}/` : "";
        const bases = { debian: `${basePrefix}platform-base/debian:bookworm`, node: `${basePrefix}platform-base/node:20` };
        await timed("docker import of the base images", async () => {
            await docker(["import", debianTar, bases.debian]);
            // Node keeps its own CA list; this makes npm trust the machine's (see swarmBaseImages.sh).
            await docker(["import", "--change", "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt", nodeTar, bases.node]);
            if (dockerBuildPlugin) for (const image of Object.values(bases)) await docker(["push", "--quiet", image]);
        });
        let dockerConfig: string | undefined;
        if (dockerBuildPlugin) {
            const started = await timed("buildkitd (platform/buildkit.sh)", () =>
                sh("bash", [path.join(REPO, "platform", "buildkit.sh"), "start", path.join(tmp, "buildkit"), registry?.address ?? ""]),
            );
            buildkitDir = path.join(tmp, "buildkit");
            dockerConfig = /^DOCKER_CONFIG=(.*)$/m.exec(started)?.[1];
            if (!dockerConfig) throw new Error(`platform/buildkit.sh printed no DOCKER_CONFIG:\n${started}`);
        }

        // The project as the engine sees it: the repository's compiled program and sources, linked,
        // with its own Pulumi.swarm.yaml, so nothing in the working tree is written.
        projectDir = path.join(tmp, "project");
        fs.mkdirSync(projectDir);
        fs.copyFileSync(path.join(REPO, "Pulumi.yaml"), path.join(projectDir, "Pulumi.yaml"));
        fs.cpSync(path.join(REPO, "bin"), path.join(projectDir, "bin"), { recursive: true });
        for (const entry of ["node_modules", "package.json", "app", "images", "components"])
            fs.symlinkSync(path.join(REPO, entry), path.join(projectDir, entry));
        // The engine starts plugins in the program's folder (bin/, from `main`), and the toolchain's
        // pulumi-resource-pulumi-nodejs runs ./node_modules/@pulumi/pulumi/cmd/dynamic-provider from there.
        fs.symlinkSync(path.join(REPO, "node_modules"), path.join(projectDir, "bin", "node_modules"));
        const stackFile = parse(fs.readFileSync(path.join(REPO, "Pulumi.swarm.yaml"), "utf8")) as { config: Record<string, unknown> };
        const port = await freePort();
        stackFile.config["platform:swarm"] = {
            ...(stackFile.config["platform:swarm"] as Record<string, unknown>),
            host: engine.host,
            registry: registry.address,
            publishedPortBase: port,
            publicAddress: "127.0.0.1",
            // This kernel has no IPVS: the routing mesh cannot route here (docs/swarm.md).
            routing: "proxy",
        };
        stackFile.config["platform:build"] = dockerBuildPlugin
            ? { baseImage: bases.node, debianImage: bases.debian, builder: "platform", network: "host" }
            : { baseImage: bases.node, debianImage: bases.debian, dockerHost: engine.host };
        // An absolute context: the language host runs the program with bin/ as its working folder.
        stackFile.config["platform:services"] ??= [{ name: "web", context: path.join(REPO, "app") }];
        fs.writeFileSync(path.join(projectDir, "Pulumi.swarm.yaml"), stringify(stackFile));
        appUrl = `http://127.0.0.1:${port}`;

        const base = await toolchainEnv();
        env = {
            ...base,
            DOCKER_HOST: engine.host,
            PULUMI_HOME: path.join(tmp, "pulumi-home"),
            PULUMI_BACKEND_URL: `file://${path.join(tmp, "state")}`,
            PULUMI_CONFIG_PASSPHRASE: "swarm-e2e",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
            ...(dockerConfig ? { DOCKER_CONFIG: dockerConfig } : {}),
        };
        fs.mkdirSync(path.join(tmp, "state"));
        let plugin = dockerBuildPlugin;
        if (!plugin) {
            plugin = path.join(tmp, "pulumi-resource-docker-build");
            fs.writeFileSync(
                plugin,
                `#!/bin/sh\nexec node ${JSON.stringify(path.join(projectDir, "bin", "test", "e2e", "support", "swarmDockerBuild.js"))} "$@"\n`,
                { mode: 0o755 },
            );
        }
        await sh("pulumi", ["plugin", "install", "resource", "docker-build", DOCKER_BUILD_VERSION, "--file", plugin], { env });
        // The passwords are @pulumi/random's (issue 19): its plugin goes into this PULUMI_HOME too.
        const cache = process.env.PLATFORM_CACHE ?? path.join(os.homedir(), ".cache", "multicloud-platform");
        const random = path.join(cache, "toolchain", `pulumi-random-${RANDOM_VERSION}`, "bin", "pulumi-resource-random");
        await sh("pulumi", ["plugin", "install", "resource", "random", RANDOM_VERSION, "--file", random], { env });
        await sh("pulumi", ["stack", "init", "swarm", "--secrets-provider", "passphrase", "--non-interactive", "--cwd", projectDir], {
            env,
            cwd: projectDir,
        });
    });

    after(async function () {
        if (buildkitDir)
            await sh("bash", [path.join(REPO, "platform", "buildkit.sh"), "stop", buildkitDir]).catch((error: unknown) => {
                log(`buildkit stop: ${String(error)}`);
            });
        if (registry) await registry.stop();
        if (engine) await timed("engine stop", () => (engine ? engine.stop() : Promise.resolve()));
        if (process.env.SWARM_E2E_KEEP !== "1" && tmp) fs.rmSync(tmp, { recursive: true, force: true });
        log(`total ${((Date.now() - started) / 1000).toFixed(0)} s`);
    });

    it("deploys the stack through the real engine; every service reaches its replica count", async () => {
        await timed("pulumi up (build, push, deploy)", () => pulumi(["up", "--yes", "--skip-preview"]));
        const outputs = JSON.parse(await pulumi(["stack", "output", "--json"])) as Record<string, unknown>;
        assert.strictEqual(outputs.appUrl, appUrl);
        assert.strictEqual(outputs.cloud, "swarm");
        const services = await stackServices();
        assert.deepStrictEqual(services.map((s) => s.Spec.Name).sort(), ["app_postgres", "app_redis", "app_web", "app_web-proxy"]);
        for (const service of services) await waitForReplicas(service);
        assert.strictEqual(services.find((s) => s.Spec.Name === "app_web")?.Spec.Mode.Replicated.Replicas, 2);
        const state = await pulumi(["stack", "export"]);
        assert.ok(!/requirepass [A-Za-z0-9]{32}/.test(state), "the Redis password is in plain text in state");
    });

    it("answers on the published port: an item is written, then read as a miss and a hit", async () => {
        await waitForReady();
        const created = await fetch(`${appUrl}/items`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ name: "swarm", data: { by: "e2e" } }),
        });
        assert.strictEqual(created.status, 201, await created.clone().text());
        const item = (await created.json()) as { id: number };
        const first = await fetch(`${appUrl}/items/${item.id}`);
        const second = await fetch(`${appUrl}/items/${item.id}`);
        assert.deepStrictEqual(
            [first.status, first.headers.get("x-cache"), second.status, second.headers.get("x-cache")],
            [200, "miss", 200, "hit"],
        );
    });

    it("a replica count change is exactly one update", async () => {
        await pulumi(["config", "set", "--path", "platform:app.replicas.min", "3"]);
        await timed("pulumi up (replicas 2 -> 3)", () => pulumi(["up", "--yes", "--skip-preview"]));
        const history = JSON.parse(await pulumi(["stack", "history", "--json", "--show-secrets=false"])) as {
            resourceChanges?: Record<string, number>;
        }[];
        const changes = history[0]?.resourceChanges ?? {};
        assert.strictEqual(changes.update, 1, JSON.stringify(changes));
        assert.ok(!changes.create && !changes.delete && !changes.replace, JSON.stringify(changes));
        const web = (await stackServices()).find((s) => s.Spec.Name === "app_web");
        assert.ok(web);
        await waitForReplicas(web, 3);
        const again = await fetch(`${appUrl}/healthz`);
        assert.strictEqual(again.status, 200);
    });

    it("destroys everything it made: no service, network, secret or volume left", async () => {
        await timed("pulumi destroy", () => pulumi(["destroy", "--yes", "--skip-preview"]));
        const host = engine?.host ?? "";
        const label = encodeURIComponent(JSON.stringify({ label: [`com.docker.stack.namespace=${NAMESPACE}`] }));
        assert.deepStrictEqual(await stackServices(), []);
        const networks = (await engineCall<{ Name: string }[]>(host, "GET", `/networks?filters=${label}`)) ?? [];
        const secrets = (await engineCall<{ Spec: { Name: string } }[]>(host, "GET", `/secrets?filters=${label}`)) ?? [];
        const volumes = (await engineCall<{ Volumes: { Name: string }[] | null }>(host, "GET", `/volumes?filters=${label}`))?.Volumes ?? [];
        assert.deepStrictEqual(
            { networks: networks.map((n) => n.Name), secrets: secrets.map((s) => s.Spec.Name), volumes: volumes.map((v) => v.Name) },
            { networks: [], secrets: [], volumes: [] },
        );
    });
});
