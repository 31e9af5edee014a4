/**
 * The swarm target: pure spec builders, provider helpers, the stack under mocks (both routing
 * modes), and a serialised dynamic provider run against a fake Engine API on a unix socket.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as http from "http";
import { builtinModules, createRequire } from "module";
import * as os from "os";
import * as path from "path";
import * as vm from "vm";
import { engineAddress } from "../../components/app/swarm/engine/client";
import { converged } from "../../components/app/swarm/engine/wait";
import { networkCreateRequest } from "../../components/app/swarm/providers/network";
import { secretName } from "../../components/app/swarm/providers/secret";
import { providerSource } from "../../components/app/swarm/providers/source";
import { canonicalJson, projectOnto, serviceReplaces } from "../../components/app/swarm/providers/service";
import { appServiceSpec, dataServiceSpec, nanoCpus, proxyServiceSpec } from "../../components/app/swarm/specs";
import { dataStatefulSetSpec, redisConfigFile } from "../../components/data/dataSpecs";
import { addFakeOutputs, fakeSecret } from "../../harness/fakeOutputs";
import { list, ofType, plainStrings, record } from "./support/inspect";
import type { Registration } from "../../harness/mocks";
import { runStack, valueOf } from "../../harness/runStack";
import { PROJECT_DIR, readStackFile, StackConfigMap } from "../../harness/stackFiles";
import type { ServiceSpec } from "../../model/app";

const SECOND = 1e9;

const web: ServiceSpec = {
    name: "web",
    contextDir: "/src/app",
    dockerfile: "Dockerfile",
    containerPort: 8080,
    needs: { redis: true, postgres: true },
    public: true,
    healthPath: "/healthz",
    readyPath: "/readyz",
    replicas: { min: 2, max: 4 },
    cpu: { request: "50m", limit: "250m" },
    memory: { request: "96Mi", limit: "192Mi" },
    hpa: {
        cpuUtilization: 75,
        memoryUtilization: 85,
        scaleUp: { stabilizationSeconds: 0, percent: 100, pods: 4, periodSeconds: 15 },
        scaleDown: { stabilizationSeconds: 300, percent: 50, periodSeconds: 60 },
    },
    vpa: "recommend",
};

const secretMount = (file: string) => ({ id: `id-${file}`, name: `app_${file}-abc`, file, uid: 10001 });

addFakeOutputs({
    "pulumi-nodejs:dynamic/platform:SwarmNetwork": (name) => ({ networkId: `net-${name}` }),
    "pulumi-nodejs:dynamic/platform:SwarmSecret": (name, inputs) => ({
        secretId: `sec-${name}`,
        name: `${String(inputs.baseName)}-0123456789ab`,
    }),
    "pulumi-nodejs:dynamic/platform:SwarmService": (name) => ({ serviceId: `svc-${name}`, version: 11 }),
});

function withSwarm(map: StackConfigMap, settings: Record<string, unknown>): StackConfigMap {
    const block = JSON.parse(map.config["platform:swarm"] ?? "{}") as Record<string, unknown>;
    return { ...map, config: { ...map.config, "platform:swarm": JSON.stringify({ ...block, ...settings }) } };
}

function serviceNamed(registrations: readonly Registration[], swarmName: string): Record<string, unknown> {
    const found = ofType(registrations, "pulumi-nodejs:dynamic/platform:SwarmService").find(
        (r) => record(r.inputs.spec).Name === swarmName,
    );
    assert.ok(found, `no swarm service ${swarmName}`);
    return record(found.inputs.spec);
}

describe("swarm specs", () => {
    const spec = appServiceSpec({
        service: web,
        namespace: "app",
        image: "127.0.0.1:5000/web@sha256:1",
        cacheTtlSeconds: 30,
        networks: ["front", "data"],
        endpointMode: "vip",
        publishedPort: 8080,
        redis: { host: "app_redis", port: 6379, tls: false, password: secretMount("redis-password") },
        postgres: {
            host: "app_postgres",
            port: 5432,
            database: "app",
            user: "app",
            sslMode: "disable",
            password: secretMount("postgres-password"),
        },
    });

    it("runs replicas.min tasks with rolling start-first updates that roll back on failure", () => {
        assert.strictEqual(spec.Mode.Replicated.Replicas, 2);
        assert.deepStrictEqual(
            [spec.UpdateConfig.Parallelism, spec.UpdateConfig.Order, spec.UpdateConfig.FailureAction],
            [1, "start-first", "rollback"],
        );
        assert.deepStrictEqual([spec.RollbackConfig.Parallelism, spec.RollbackConfig.FailureAction], [1, "pause"]);
        assert.deepStrictEqual(spec.TaskTemplate.RestartPolicy, {
            Condition: "on-failure",
            Delay: 5 * SECOND,
            MaxAttempts: 5,
            Window: 120 * SECOND,
        });
    });

    it("reserves the requests and caps at the limits", () => {
        assert.deepStrictEqual(spec.TaskTemplate.Resources, {
            Reservations: { NanoCPUs: 50_000_000, MemoryBytes: 96 * 1024 * 1024 },
            Limits: { NanoCPUs: 250_000_000, MemoryBytes: 192 * 1024 * 1024 },
        });
        assert.strictEqual(nanoCpus("1.5"), 1_500_000_000);
    });

    it("hands passwords over only as secret files read through *_FILE", () => {
        const env = spec.TaskTemplate.ContainerSpec.Env;
        assert.ok(env.includes("REDIS_PASSWORD_FILE=/run/secrets/redis-password"));
        assert.ok(env.includes("PGPASSWORD_FILE=/run/secrets/postgres-password"));
        assert.ok(!env.some((e) => e.startsWith("REDIS_PASSWORD=") || e.startsWith("PGPASSWORD=")));
        assert.deepStrictEqual(
            spec.TaskTemplate.ContainerSpec.Secrets.map((s) => [s.File.Name, s.File.UID, s.File.Mode, s.SecretID]),
            [
                ["redis-password", "10001", 0o400, "id-redis-password"],
                ["postgres-password", "10001", 0o400, "id-postgres-password"],
            ],
        );
    });

    it("health-checks the service's health path, read-only root, ingress port", () => {
        const check = spec.TaskTemplate.ContainerSpec.HealthCheck;
        assert.ok(check.Test.join(" ").includes("http://127.0.0.1:8080/healthz"));
        assert.strictEqual(spec.TaskTemplate.ContainerSpec.ReadOnly, true);
        assert.deepStrictEqual(spec.EndpointSpec, {
            Mode: "vip",
            Ports: [{ Protocol: "tcp", TargetPort: 8080, PublishedPort: 8080, PublishMode: "ingress" }],
        });
        assert.throws(
            () =>
                appServiceSpec({
                    service: web,
                    namespace: "app",
                    image: "i",
                    cacheTtlSeconds: 1,
                    networks: [],
                    endpointMode: "dnsrr",
                    publishedPort: 1,
                }),
            /vip/,
        );
    });

    it("keeps data services on the data network only, pinned by placement, one task, stop-first", () => {
        const redis = dataServiceSpec({
            kind: "redis",
            namespace: "app",
            image: "r",
            network: "data",
            volume: "app_redis-data",
            secret: secretMount("redis.conf"),
            cpu: "100m",
            memory: "128Mi",
            database: "app",
            constraints: ["node.role==manager"],
        });
        assert.deepStrictEqual(redis.TaskTemplate.Networks, [{ Target: "data" }]);
        assert.deepStrictEqual(redis.TaskTemplate.Placement.Constraints, ["node.role==manager"]);
        assert.deepStrictEqual(
            [redis.Mode.Replicated.Replicas, redis.UpdateConfig.Order, redis.EndpointSpec.Mode, redis.EndpointSpec.Ports.length],
            [1, "stop-first", "dnsrr", 0],
        );
        assert.strictEqual(redis.TaskTemplate.ContainerSpec.Args?.[0], "/run/secrets/redis.conf");
        // The same server on both targets: the Kubernetes StatefulSet runs the very same arguments.
        const sizing = { storage: "1Gi", cpu: "100m", memory: "128Mi" };
        const statefulSet = dataStatefulSetSpec("redis", "r", "auth", sizing, "app") as {
            template: { spec: { containers: { args?: string[] }[] } };
        };
        assert.deepStrictEqual(redis.TaskTemplate.ContainerSpec.Args, [
            "/run/secrets/redis.conf",
            "--port",
            "6379",
            "--dir",
            "/data",
            "--appendonly",
            "yes",
            "--protected-mode",
            "no",
        ]);
        assert.deepStrictEqual(statefulSet.template.spec.containers[0].args, redis.TaskTemplate.ContainerSpec.Args);
        assert.strictEqual(redisConfigFile("pw"), "requirepass pw\n");
        const postgres = dataServiceSpec({
            kind: "postgres",
            namespace: "app",
            image: "p",
            network: "data",
            volume: "app_postgres-data",
            secret: secretMount("postgres-password"),
            cpu: "250m",
            memory: "256Mi",
            database: "app",
            constraints: [],
        });
        assert.ok(postgres.TaskTemplate.ContainerSpec.Env.includes("POSTGRES_PASSWORD_FILE=/run/secrets/postgres-password"));
        assert.ok(
            postgres.TaskTemplate.ContainerSpec.Mounts.some(
                (m) => m.Type === "volume" && m.Source === "app_postgres-data" && m.Target === "/var/lib/postgresql/data",
            ),
        );
    });

    it("publishes the proxy in host mode and points it at the service's tasks", () => {
        const proxy = proxyServiceSpec({
            namespace: "app",
            service: web,
            image: "p",
            network: "front",
            publishedPort: 18080,
            constraints: ["node.role==manager"],
        });
        assert.deepStrictEqual(proxy.EndpointSpec.Ports, [
            { Protocol: "tcp", TargetPort: 8080, PublishedPort: 18080, PublishMode: "host" },
        ]);
        assert.ok(proxy.TaskTemplate.ContainerSpec.Env.includes("TARGET_HOST=tasks.app_web"));
        assert.strictEqual(proxy.UpdateConfig.Order, "stop-first");
    });
});

describe("swarm provider helpers", () => {
    it("parses engine endpoints", () => {
        assert.deepStrictEqual(engineAddress("unix:///var/run/docker.sock"), { socketPath: "/var/run/docker.sock" });
        assert.deepStrictEqual(engineAddress("tcp://10.0.0.5:2376"), { host: "10.0.0.5", port: 2376 });
        assert.throws(() => engineAddress("ssh://me@host"), /ssh -L/);
    });

    it("compares specs whatever the key order, and ignores engine defaults on refresh", () => {
        assert.strictEqual(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }), canonicalJson({ a: [{ c: 3, d: 2 }], b: 1 }));
        const sent = { Name: "x", Mode: { Replicated: { Replicas: 2 } }, Ports: [] };
        const live = { Name: "x", Mode: { Replicated: { Replicas: 3 } }, Runtime: "container" };
        assert.deepStrictEqual(projectOnto(sent, live), { Name: "x", Mode: { Replicated: { Replicas: 3 } }, Ports: [] });
    });

    it("replaces a service only for a new name, engine or endpoint mode", () => {
        const base = appServiceSpec({ service: web, namespace: "app", image: "i", cacheTtlSeconds: 1, networks: [], endpointMode: "vip" });
        const scaled = { ...base, Mode: { Replicated: { Replicas: 5 } } };
        assert.deepStrictEqual(serviceReplaces({ engineHost: "h", spec: base }, { engineHost: "h", spec: scaled }), []);
        assert.deepStrictEqual(
            serviceReplaces({ engineHost: "h", spec: base }, { engineHost: "h", spec: { ...base, Name: "app_other" } }),
            ["spec.Name"],
        );
        assert.deepStrictEqual(
            serviceReplaces(
                { engineHost: "h", spec: base },
                { engineHost: "h2", spec: { ...base, EndpointSpec: { Mode: "dnsrr", Ports: [] } } },
            ),
            ["engineHost", "spec.EndpointSpec.Mode"],
        );
    });

    it("counts a service converged only with exactly its replicas running and no update in flight", () => {
        const running = { DesiredState: "running", Status: { State: "running" } };
        const starting = { DesiredState: "running", Status: { State: "starting" } };
        const old = { DesiredState: "shutdown", Status: { State: "running" } };
        assert.strictEqual(converged({}, [running, running, old], 2), true);
        assert.strictEqual(converged({}, [running, starting], 2), false);
        assert.strictEqual(converged({ UpdateStatus: { State: "updating" } }, [running, running], 2), false);
        assert.strictEqual(converged({}, [running, running, running], 2), false);
    });

    it("names secrets by content, and makes encrypted, non-attachable overlays", () => {
        assert.match(secretName("app_redis", "a"), /^app_redis-[0-9a-f]{12}$/);
        assert.notStrictEqual(secretName("app_redis", "a"), secretName("app_redis", "b"));
        assert.deepStrictEqual(networkCreateRequest({ name: "app_data", encrypted: true, labels: {} }), {
            Name: "app_data",
            Driver: "overlay",
            Attachable: false,
            CheckDuplicate: true,
            Options: { encrypted: "" },
            Labels: {},
        });
    });
});

describe("swarm stack under mocks", () => {
    it("deploys app, Redis and PostgreSQL as services, data only on the data network, secrets never in plain text", async () => {
        const run = await runStack("swarm", readStackFile("swarm"));
        if (run.error) throw run.error;
        const webSpec = serviceNamed(run.registrations, "app_web");
        const redisSpec = serviceNamed(run.registrations, "app_redis");
        serviceNamed(run.registrations, "app_postgres");
        assert.deepStrictEqual(list(record(webSpec.TaskTemplate).Networks), [
            { Target: "net-swarm-networks-frontend" },
            { Target: "net-swarm-networks-data" },
        ]);
        assert.deepStrictEqual(list(record(redisSpec.TaskTemplate).Networks), [{ Target: "net-swarm-networks-data" }]);
        assert.strictEqual(record(record(webSpec.Mode).Replicated).Replicas, 2);
        for (const r of run.registrations) {
            for (const name of ["data-redis-password", "data-postgres-password"]) {
                assert.ok(
                    !plainStrings(r.wireInputs).some((s) => s.includes(fakeSecret(name))),
                    `${r.type}::${r.name} holds a password in plain text`,
                );
            }
        }
        assert.ok(run.outputs);
        assert.strictEqual(await valueOf(run.outputs.appUrl), "http://127.0.0.1:8080");
        assert.strictEqual(
            await valueOf(run.outputs.cloud === "swarm" ? run.outputs.registryUrl : run.outputs.registryUrl),
            "127.0.0.1:5000",
        );
    });

    it("with routing proxy, builds the proxy image and publishes through it in host mode", async () => {
        const run = await runStack("swarm", withSwarm(readStackFile("swarm"), { routing: "proxy", publishedPortBase: 18080 }));
        if (run.error) throw run.error;
        const webSpec = serviceNamed(run.registrations, "app_web");
        assert.deepStrictEqual(webSpec.EndpointSpec, { Mode: "dnsrr", Ports: [] });
        const proxy = serviceNamed(run.registrations, "app_web-proxy");
        assert.strictEqual(record(list(record(proxy.EndpointSpec).Ports)[0]).PublishMode, "host");
        assert.ok(ofType(run.registrations, "docker-build:index:Image").some((r) => r.name === "platform-swarm-proxy-build"));
        assert.ok(run.outputs);
        assert.strictEqual(await valueOf(run.outputs.appUrl), "http://127.0.0.1:18080");
    });
});

describe("swarm dynamic provider as serialised into state", () => {
    let dir: string;
    let server: http.Server;
    const seen: string[] = [];

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "swarm-fake-engine-"));
        server = http.createServer((req, res) => {
            let body = "";
            req.on("data", (chunk: Buffer) => (body += chunk.toString()));
            req.on("end", () => {
                seen.push(`${req.method ?? ""} ${req.url ?? ""} ${body}`);
                res.writeHead(req.method === "POST" ? 201 : 204, { "Content-Type": "application/json" });
                res.end(req.method === "POST" ? JSON.stringify({ Id: "n123" }) : "");
            });
        });
        await new Promise<void>((resolve) => server.listen(path.join(dir, "engine.sock"), resolve));
    });

    after(() => {
        server.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    type LoadedProvider = Record<string, (...args: unknown[]) => Promise<unknown>>;
    /** Loads a `__provider` text as the dynamic-provider host does; `require` resolves Node.js built-ins only. */
    function loadProvider(source: string): LoadedProvider {
        const loaded = { exports: {} as { handler?: () => LoadedProvider } };
        const wrapper = vm.runInThisContext(`(function (exports, require, module) {\n${source}\n})`) as (
            exports: object,
            load: (request: string) => unknown,
            module: object,
        ) => void;
        const builtinsOnly = (request: string) => {
            if (!builtinModules.includes(request.replace(/^node:/, ""))) throw new Error(`provider required ${request}`);
            return createRequire(__filename)(request) as unknown;
        };
        wrapper(loaded.exports, builtinsOnly, loaded);
        assert.ok(loaded.exports.handler, "serialised provider has no handler");
        // The engine's loader does the same: the module exports a function that returns the provider.
        return loaded.exports.handler();
    }

    it("hands every Swarm resource its kind's provider text, built from this program's modules, naming no local path", async () => {
        const run = await runStack("swarm", readStackFile("swarm"));
        const kinds = { SwarmNetwork: "network", SwarmSecret: "secret", SwarmService: "service", SwarmVolume: "volume" } as const;
        for (const [type, kind] of Object.entries(kinds)) {
            const registered = ofType(run.registrations, `pulumi-nodejs:dynamic/platform:${type}`);
            assert.ok(registered.length > 0, `no ${type}`);
            for (const r of registered)
                assert.strictEqual(r.inputs.__provider, providerSource(kind), `${r.name}: not the ${kind} provider text`);
            const text = providerSource(kind);
            assert.ok(!text.includes(PROJECT_DIR), `${kind}: the text names ${PROJECT_DIR}`);
            assert.match(text, new RegExp(`return load\\("providers/${kind}\\.js"\\)\\.${kind}Provider;`));
            const provider = loadProvider(text);
            for (const method of ["create", "read", "diff", "delete"])
                assert.strictEqual(typeof provider[method], "function", `${kind}.${method}`);
        }
    });

    it("replaces a network, a secret or a volume for a changed input, and keeps it otherwise, from the provider text", async () => {
        const base = { engineHost: "unix:///run/docker.sock", labels: { app: "x" } };
        const cases = [
            { kind: "network", inputs: { ...base, name: "app_data", encrypted: true }, changed: "encrypted", to: false, first: true },
            { kind: "secret", inputs: { ...base, baseName: "app-pw", data: "s3cret" }, changed: "data", to: "other", first: false },
            { kind: "volume", inputs: { ...base, name: "pgdata" }, changed: "labels", to: { app: "y" }, first: true },
        ] as const;
        for (const c of cases) {
            const provider = loadProvider(providerSource(c.kind));
            // Olds are outputs: the inputs plus what create added (ids), which no diff compares.
            const olds = { ...c.inputs, networkId: "n1", secretId: "s1" };
            assert.deepStrictEqual(record(await provider.diff("id", olds, { ...c.inputs })), {
                changes: false,
                replaces: [],
                deleteBeforeReplace: c.first,
            });
            assert.deepStrictEqual(
                record(await provider.diff("id", olds, { ...c.inputs, [c.changed]: c.to })),
                {
                    changes: true,
                    replaces: [c.changed],
                    deleteBeforeReplace: c.first,
                },
                c.kind,
            );
        }
    });

    it("runs with only built-in modules: creates and deletes a network, creates a secret over the socket", async () => {
        const run = await runStack("swarm", readStackFile("swarm"));
        const network = loadProvider(String(ofType(run.registrations, "pulumi-nodejs:dynamic/platform:SwarmNetwork")[0].inputs.__provider));
        const engineHost = `unix://${path.join(dir, "engine.sock")}`;
        seen.length = 0;
        const created = record(await network.create({ engineHost, name: "app_data", encrypted: true, labels: {} }));
        assert.strictEqual(created.id, "n123");
        await network.delete("n123", { engineHost });
        assert.match(seen[0], /^POST \/v1\.41\/networks\/create .*"encrypted":""/);
        assert.match(seen[1], /^DELETE \/v1\.41\/networks\/n123/);
        const secret = loadProvider(String(ofType(run.registrations, "pulumi-nodejs:dynamic/platform:SwarmSecret")[0].inputs.__provider));
        // The fake engine answers every POST with {"Id": …}; Docker answers a secret create with "ID", so this create must fail.
        await assert.rejects(
            secret.create({ engineHost, baseName: "app-pw", data: "s3cret", labels: {} }),
            /did not return an id for secret app-pw-/,
        );
        assert.match(seen[2], new RegExp(`^POST /v1\\.41/secrets/create .*"Name":"${secretName("app-pw", "s3cret")}"`));
    });
});
