/**
 * Pure renderers: the AppSpec's services and the in-platform data services → Docker Swarm
 * service specs (Engine API JSON). No Pulumi and no Docker here, so every rule is testable
 * with plain values.
 */
import { cpuMillicores, memoryBytes } from "../../../model/quantities";
import { DATA_IMAGES, DataKind, redisServerArgs } from "../../data/dataSpecs";
import type { HealthConfig, Mount, SecretReference, ServiceSpec, UpdatePolicy } from "./engine/types";
import { APP_UID, type ServiceSpec as AppServiceSpec } from "../../../model/app";
import { POSTGRES_USER } from "../../../model/names";

const SECOND = 1_000_000_000;

/** Seconds Swarm waits after SIGTERM before SIGKILL; the app's own shutdown timeout stays below it. */
export const STOP_GRACE_SECONDS = 30;

/** Folder Swarm mounts secrets in (the `*_FILE` variables point into it). */
export const SECRETS_DIR = "/run/secrets";

/** Name of a swarm object of the stack: `<namespace>_<role>`, the convention of `docker stack`. */
export function swarmName(namespace: string, role: string): string {
    return `${namespace}_${role}`;
}

/** Labels on every swarm object of the stack; `com.docker.stack.namespace` makes `docker stack ls/ps` show it. */
export function stackLabels(namespace: string, component: string): Record<string, string> {
    return {
        "com.docker.stack.namespace": namespace,
        "app.kubernetes.io/part-of": "platform",
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/managed-by": "pulumi",
    };
}

/** A CPU quantity ("250m", "1") as Engine NanoCPUs. */
export function nanoCpus(quantity: string): number {
    return cpuMillicores(quantity) * 1_000_000;
}

/**
 * The health check's script: fetches the URL given as its one argument (`node -e SCRIPT URL`
 * puts it in process.argv[1]) and exits 0 on a 2xx answer. Fixed text, so no config value is code.
 */
export const HEALTH_PROBE_SCRIPT = "fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))";

/** A secret as a task sees it: the file /run/secrets/<file>, readable only by `uid`. */
export interface SecretMount {
    /** The swarm secret's id and (content-hashed) name. */
    readonly id: string;
    readonly name: string;
    /** File name under /run/secrets. */
    readonly file: string;
    readonly uid: number;
}

function secretReference(secret: SecretMount): SecretReference {
    return {
        File: { Name: secret.file, UID: String(secret.uid), GID: String(secret.uid), Mode: 0o400 },
        SecretID: secret.id,
        SecretName: secret.name,
    };
}

/** Rolling updates: one task at a time, the new one started (and healthy) before the old stops, roll back on failure. */
export function rollingUpdate(order: UpdatePolicy["Order"]): UpdatePolicy {
    return { Parallelism: 1, Delay: 2 * SECOND, FailureAction: "rollback", Monitor: 15 * SECOND, MaxFailureRatio: 0, Order: order };
}

/** Rollbacks: the same pace; a failed rollback pauses for a human. */
export function rollbackPolicy(order: UpdatePolicy["Order"]): UpdatePolicy {
    return { Parallelism: 1, Delay: 0, FailureAction: "pause", Monitor: 15 * SECOND, MaxFailureRatio: 0, Order: order };
}

/** Restart on failure, 5 s apart, at most 5 times in 2 minutes (then the task stays down and the update fails). */
export const RESTART_POLICY = { Condition: "on-failure", Delay: 5 * SECOND, MaxAttempts: 5, Window: 120 * SECOND } as const;

// 10 s timeouts and 5 retries: a busy node must not turn slow answers into restarts.
function healthCheck(test: readonly string[], startPeriodSeconds: number): HealthConfig {
    return { Test: test, Interval: 5 * SECOND, Timeout: 10 * SECOND, Retries: 5, StartPeriod: startPeriodSeconds * SECOND };
}

function tmpfs(target: string, sizeBytes: number): Mount {
    return { Type: "tmpfs", Target: target, TmpfsOptions: { SizeBytes: sizeBytes, Mode: 0o1777 } };
}

/** Connection facts of Redis for the app: the password comes as a secret file. */
export interface RedisConnection {
    readonly host: string;
    readonly port: number;
    readonly tls: boolean;
    readonly password: SecretMount;
}

/** Connection facts of PostgreSQL for the app: the password comes as a secret file. */
export interface PostgresConnection {
    readonly host: string;
    readonly port: number;
    readonly database: string;
    readonly user: string;
    readonly sslMode: string;
    readonly password: SecretMount;
}

/** Everything {@link appServiceSpec} needs, resolved to plain values. */
export interface AppServiceArgs {
    readonly service: AppServiceSpec;
    readonly namespace: string;
    /** Digest-pinned image reference. */
    readonly image: string;
    readonly cacheTtlSeconds: number;
    /** Overlay network ids the tasks join. */
    readonly networks: readonly string[];
    /** Ingress-published port (routing mesh); undefined when not public or when the built-in proxy publishes it. */
    readonly publishedPort?: number;
    /** "vip" (routing mesh, needs IPVS in the kernel) or "dnsrr" (tasks found by DNS: what the built-in proxy uses). */
    readonly endpointMode: "vip" | "dnsrr";
    readonly redis?: RedisConnection;
    readonly postgres?: PostgresConnection;
}

/** The environment of an app service: the app's env contract, passwords only as *_FILE paths. */
export function appEnv(args: Pick<AppServiceArgs, "service" | "cacheTtlSeconds" | "redis" | "postgres">): string[] {
    const env = [
        `PORT=${args.service.containerPort}`,
        `CACHE_TTL_SECONDS=${args.cacheTtlSeconds}`,
        // Leaves 5 s of the stop grace period for the process to exit after draining.
        `SHUTDOWN_TIMEOUT_MS=${(STOP_GRACE_SECONDS - 5) * 1000}`,
    ];
    const { redis, postgres } = args;
    if (redis)
        env.push(
            `REDIS_HOST=${redis.host}`,
            `REDIS_PORT=${redis.port}`,
            `REDIS_TLS=${redis.tls}`,
            `REDIS_PASSWORD_FILE=${SECRETS_DIR}/${redis.password.file}`,
        );
    if (postgres) {
        env.push(
            `PGHOST=${postgres.host}`,
            `PGPORT=${postgres.port}`,
            `PGDATABASE=${postgres.database}`,
            `PGUSER=${postgres.user}`,
            `PGSSLMODE=${postgres.sslMode}`,
            `PGPASSWORD_FILE=${SECRETS_DIR}/${postgres.password.file}`,
        );
    }
    return env;
}

/**
 * The swarm service of an app service: `replicas.min` tasks (Swarm has no autoscaler), rolling
 * start-first updates with automatic rollback, the image's health endpoint as health check,
 * requests as reservations and limits as limits, a read-only root with a small /tmp.
 */
export function appServiceSpec(args: AppServiceArgs): ServiceSpec {
    const { service, namespace } = args;
    if (args.endpointMode === "dnsrr" && args.publishedPort !== undefined)
        throw new Error(`service ${service.name}: Swarm publishes ingress ports only in vip endpoint mode`);
    const secrets = [args.redis?.password, args.postgres?.password].filter((s): s is SecretMount => s !== undefined);
    return {
        Name: swarmName(namespace, service.name),
        Labels: stackLabels(namespace, "web"),
        TaskTemplate: {
            ContainerSpec: {
                Image: args.image,
                Labels: stackLabels(namespace, "web"),
                Env: appEnv(args),
                User: `${APP_UID}:${APP_UID}`,
                ReadOnly: true,
                Mounts: [tmpfs("/tmp", 64 * 1024 * 1024)],
                StopGracePeriod: STOP_GRACE_SECONDS * SECOND,
                // The URL is an argument (exec form, no shell), never part of the script: a path is data.
                HealthCheck: healthCheck(
                    ["CMD", "node", "-e", HEALTH_PROBE_SCRIPT, `http://127.0.0.1:${service.containerPort}${service.healthPath}`],
                    15,
                ),
                Secrets: secrets.map(secretReference),
            },
            Resources: {
                Limits: { NanoCPUs: nanoCpus(service.cpu.limit), MemoryBytes: memoryBytes(service.memory.limit) },
                Reservations: { NanoCPUs: nanoCpus(service.cpu.request), MemoryBytes: memoryBytes(service.memory.request) },
            },
            RestartPolicy: RESTART_POLICY,
            Placement: { Constraints: [] },
            Networks: args.networks.map((id) => ({ Target: id })),
        },
        Mode: { Replicated: { Replicas: service.replicas.min } },
        UpdateConfig: rollingUpdate("start-first"),
        RollbackConfig: rollbackPolicy("start-first"),
        EndpointSpec: {
            Mode: args.endpointMode,
            Ports:
                args.publishedPort === undefined
                    ? []
                    : [{ Protocol: "tcp", TargetPort: service.containerPort, PublishedPort: args.publishedPort, PublishMode: "ingress" }],
        },
    };
}

/** Everything {@link dataServiceSpec} needs, resolved to plain values. */
export interface DataServiceArgs {
    readonly kind: DataKind;
    readonly namespace: string;
    readonly image: string;
    /** The data network's id: the only network the data service joins. */
    readonly network: string;
    /** Named volume holding the data. */
    readonly volume: string;
    /** Redis: a config file holding `requirepass`; PostgreSQL: the password file. */
    readonly secret: SecretMount;
    readonly cpu: string;
    readonly memory: string;
    /** PostgreSQL database created on first start. */
    readonly database: string;
    /** Placement constraints that pin the task to the node holding its volume. */
    readonly constraints: readonly string[];
}

/** Secret file names inside the data tasks. */
export const DATA_SECRET_FILES: Readonly<Record<DataKind, string>> = { redis: "redis.conf", postgres: "postgres-password" };

/**
 * The swarm service of Redis or PostgreSQL: one task, stop-first updates (two servers must
 * never share a data folder), pinned by placement to the node that holds its named volume,
 * only on the data network, no published port.
 */
export function dataServiceSpec(args: DataServiceArgs): ServiceSpec {
    const facts = DATA_IMAGES[args.kind];
    const secretPath = `${SECRETS_DIR}/${args.secret.file}`;
    const common = {
        Image: args.image,
        Labels: stackLabels(args.namespace, "data"),
        User: `${facts.uid}:${facts.uid}`,
        ReadOnly: true,
        StopGracePeriod: STOP_GRACE_SECONDS * SECOND,
        Secrets: [secretReference(args.secret)],
    };
    const data: Mount = { Type: "volume", Source: args.volume, Target: facts.dataPath };
    const containerSpec =
        args.kind === "redis"
            ? {
                  ...common,
                  Args: redisServerArgs(secretPath),
                  Env: [],
                  Mounts: [data, tmpfs("/tmp", 16 * 1024 * 1024)],
                  HealthCheck: healthCheck(
                      [
                          "CMD-SHELL",
                          `redis-cli -p ${facts.port} --no-auth-warning -a "$(sed -n 's/^requirepass //p' ${secretPath})" ping | grep -q PONG`,
                      ],
                      5,
                  ),
              }
            : {
                  ...common,
                  // Docker gives a tmpfs the image folder's mode but root as owner, so the socket goes to /tmp (1777).
                  Env: [
                      `PGDATA=${facts.dataPath}/pgdata`,
                      `POSTGRES_DB=${args.database}`,
                      `POSTGRES_USER=${POSTGRES_USER}`,
                      `POSTGRES_PASSWORD_FILE=${secretPath}`,
                      "POSTGRES_SOCKET_DIR=/tmp",
                  ],
                  Mounts: [data, tmpfs("/tmp", 16 * 1024 * 1024)],
                  HealthCheck: healthCheck(["CMD", "pg_isready", "-h", "127.0.0.1", "-p", String(facts.port), "-d", args.database], 20),
              };
    const amounts = { NanoCPUs: nanoCpus(args.cpu), MemoryBytes: memoryBytes(args.memory) };
    return {
        Name: swarmName(args.namespace, args.kind),
        Labels: stackLabels(args.namespace, "data"),
        TaskTemplate: {
            ContainerSpec: containerSpec,
            Resources: { Limits: amounts, Reservations: amounts },
            RestartPolicy: RESTART_POLICY,
            Placement: { Constraints: [...args.constraints] },
            Networks: [{ Target: args.network }],
        },
        Mode: { Replicated: { Replicas: 1 } },
        UpdateConfig: rollingUpdate("stop-first"),
        RollbackConfig: rollbackPolicy("stop-first"),
        // DNS round robin needs no IPVS and a single task gains nothing from a virtual IP.
        EndpointSpec: { Mode: "dnsrr", Ports: [] },
    };
}

/** Everything {@link proxyServiceSpec} needs, resolved to plain values. */
export interface ProxyServiceArgs {
    readonly namespace: string;
    /** The public app service behind the proxy. */
    readonly service: AppServiceSpec;
    readonly image: string;
    /** The frontend network's id (the proxy and the app meet there). */
    readonly network: string;
    readonly publishedPort: number;
    /** Placement constraints: the node(s) whose address users call. */
    readonly constraints: readonly string[];
}

/** Port the proxy listens on inside its container. */
export const PROXY_PORT = 8080;

/**
 * The built-in TCP proxy in front of a public service, for swarms whose kernel has no IPVS
 * (no routing mesh): one task, port published in host mode, spreading connections over the
 * service's tasks found by DNS (`tasks.<service>`).
 */
export function proxyServiceSpec(args: ProxyServiceArgs): ServiceSpec {
    const target = swarmName(args.namespace, args.service.name);
    const probe = `require('net').connect(${PROXY_PORT},'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))`;
    return {
        Name: swarmName(args.namespace, `${args.service.name}-proxy`),
        Labels: stackLabels(args.namespace, "proxy"),
        TaskTemplate: {
            ContainerSpec: {
                Image: args.image,
                Labels: stackLabels(args.namespace, "proxy"),
                Env: [`LISTEN_PORT=${PROXY_PORT}`, `TARGET_HOST=tasks.${target}`, `TARGET_PORT=${args.service.containerPort}`],
                User: `${APP_UID}:${APP_UID}`,
                ReadOnly: true,
                Mounts: [],
                StopGracePeriod: 10 * SECOND,
                HealthCheck: healthCheck(["CMD", "node", "-e", probe], 5),
                Secrets: [],
            },
            Resources: {
                Limits: { NanoCPUs: nanoCpus("250m"), MemoryBytes: memoryBytes("64Mi") },
                Reservations: { NanoCPUs: nanoCpus("20m"), MemoryBytes: memoryBytes("32Mi") },
            },
            RestartPolicy: RESTART_POLICY,
            Placement: { Constraints: [...args.constraints] },
            Networks: [{ Target: args.network }],
        },
        Mode: { Replicated: { Replicas: 1 } },
        // A host-mode port can be held by one task per node: the old task must stop first.
        UpdateConfig: rollingUpdate("stop-first"),
        RollbackConfig: rollbackPolicy("stop-first"),
        EndpointSpec: {
            Mode: "dnsrr",
            Ports: [{ Protocol: "tcp", TargetPort: PROXY_PORT, PublishedPort: args.publishedPort, PublishMode: "host" }],
        },
    };
}
