/**
 * Pure renderers for Redis and PostgreSQL as single-replica StatefulSets with a persistent
 * volume, auth from a Secret mounted as files, probes and the same restricted hardening as the app.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { containerSecurityContext, podSecurityContext, SECRETS_DIR, secretMount, secretVolume } from "../app/kubernetes/hardening";
import { selectorLabels, serviceLabels } from "../app/kubernetes/labels";
import { dataServiceName, DataKind } from "../../model/names";

type StatefulSetSpec = k8s.types.input.apps.v1.StatefulSetSpec;
type NetworkPolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;

/** The two in-platform data services. */
export type { DataKind };

/** Fixed facts of each data image (images/<kind>/Dockerfile): user id, port, data folder. */
export const DATA_IMAGES: Readonly<Record<DataKind, { uid: number; port: number; dataPath: string }>> = {
    redis: { uid: 10002, port: 6379, dataPath: "/data" },
    postgres: { uid: 10003, port: 5432, dataPath: "/var/lib/postgresql/data" },
};

export { dataServiceName };

/** Redis reads its password from a config file (a secret), so it never appears in a spec, the environment or the process list. */
export function redisConfigFile(password: string): string {
    return `requirepass ${password}\n`;
}

/** Keys of each data service's auth Secret that its server reads, mounted as files under /run/secrets. */
export const AUTH_FILES = { redis: { config: "redis.conf" }, postgres: { user: "user", password: "password" } } as const;

/**
 * The Redis server's arguments on every target: the config file holding requirepass first (the
 * password is in no spec and no environment), then the port, the data folder and an append-only
 * log. Protected mode stays off: the server listens only on its own network, behind policies.
 */
export function redisServerArgs(configPath: string): string[] {
    const facts = DATA_IMAGES.redis;
    return [configPath, "--port", String(facts.port), "--dir", facts.dataPath, "--appendonly", "yes", "--protected-mode", "no"];
}

/** Sizes of one data service. */
export interface DataSizing {
    readonly storage: string;
    readonly cpu: string;
    readonly memory: string;
    /** StorageClass of the volume; undefined uses the cluster default. */
    readonly storageClassName?: string;
}

function containerFor(
    kind: DataKind,
    image: pulumi.Input<string>,
    sizing: DataSizing,
    database: string,
): k8s.types.input.core.v1.Container {
    const facts = DATA_IMAGES[kind];
    const common = {
        name: kind,
        image,
        ports: [{ name: kind, containerPort: facts.port, protocol: "TCP" }],
        resources: { requests: { cpu: sizing.cpu, memory: sizing.memory }, limits: { cpu: sizing.cpu, memory: sizing.memory } },
        securityContext: containerSecurityContext(facts.uid),
    };
    if (kind === "redis") {
        return {
            ...common,
            args: redisServerArgs(`${SECRETS_DIR}/${AUTH_FILES.redis.config}`),
            livenessProbe: { tcpSocket: { port: kind }, periodSeconds: 10, failureThreshold: 3 },
            readinessProbe: { tcpSocket: { port: kind }, periodSeconds: 5, failureThreshold: 2 },
            volumeMounts: [{ name: "data", mountPath: facts.dataPath }, { name: "tmp", mountPath: "/tmp" }, secretMount("auth")],
        };
    }
    const ready = { exec: { command: ["pg_isready", "-h", "127.0.0.1", "-p", String(facts.port), "-d", database] } };
    return {
        ...common,
        // The image's entrypoint reads POSTGRES_*_FILE, as the official postgres image does.
        env: [
            { name: "PGDATA", value: `${facts.dataPath}/pgdata` },
            { name: "POSTGRES_DB", value: database },
            { name: "POSTGRES_USER_FILE", value: `${SECRETS_DIR}/${AUTH_FILES.postgres.user}` },
            { name: "POSTGRES_PASSWORD_FILE", value: `${SECRETS_DIR}/${AUTH_FILES.postgres.password}` },
        ],
        livenessProbe: { ...ready, periodSeconds: 10, failureThreshold: 6, initialDelaySeconds: 10 },
        readinessProbe: { ...ready, periodSeconds: 5, failureThreshold: 3 },
        volumeMounts: [
            { name: "data", mountPath: facts.dataPath },
            { name: "tmp", mountPath: "/tmp" },
            { name: "run", mountPath: "/var/run/postgresql" },
            secretMount("auth"),
        ],
    };
}

/** The StatefulSet of a data service: one replica, one volume claim. */
export function dataStatefulSetSpec(
    kind: DataKind,
    image: pulumi.Input<string>,
    secretName: pulumi.Input<string>,
    sizing: DataSizing,
    database: string,
): StatefulSetSpec {
    const facts = DATA_IMAGES[kind];
    const volumes: k8s.types.input.core.v1.Volume[] = [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }];
    if (kind === "postgres") volumes.push({ name: "run", emptyDir: { sizeLimit: "1Mi" } });
    volumes.push(secretVolume("auth", secretName));
    return {
        serviceName: dataServiceName(kind),
        replicas: 1,
        selector: { matchLabels: selectorLabels(kind) },
        template: {
            metadata: { labels: serviceLabels(kind, "data") },
            spec: {
                automountServiceAccountToken: false,
                terminationGracePeriodSeconds: 30,
                securityContext: podSecurityContext(facts.uid),
                containers: [containerFor(kind, image, sizing, database)],
                volumes,
            },
        },
        volumeClaimTemplates: [
            {
                metadata: { name: "data" },
                spec: {
                    accessModes: ["ReadWriteOnce"],
                    storageClassName: sizing.storageClassName,
                    resources: { requests: { storage: sizing.storage } },
                },
            },
        ],
    };
}

/** Only pods of services that need this data service may reach it, and only on its port. */
export function dataNetworkPolicySpec(kind: DataKind, clientServices: readonly string[]): NetworkPolicySpec {
    return {
        podSelector: { matchLabels: selectorLabels(kind) },
        policyTypes: ["Ingress", "Egress"],
        ingress:
            clientServices.length === 0
                ? []
                : [
                      {
                          from: clientServices.map((service) => ({ podSelector: { matchLabels: selectorLabels(service) } })),
                          ports: [{ protocol: "TCP", port: DATA_IMAGES[kind].port }],
                      },
                  ],
        egress: [],
    };
}
