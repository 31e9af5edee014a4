/**
 * Pure renderers: one app service of the AppSpec → the Kubernetes object specs that run it.
 * No Pulumi resources here, so every rule can be tested with plain values.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { NetworkPeer, WayIn } from "../../cluster/platform";
import { containerSecurityContext, podSecurityContext, secretMount, secretVolume } from "./hardening";
import { selectorLabels, serviceLabels } from "./labels";
import { APP_UID, publicPortFor, type ServiceSpec } from "../../../model/app";

type DeploymentSpec = k8s.types.input.apps.v1.DeploymentSpec;
type ServiceSpecK8s = k8s.types.input.core.v1.ServiceSpec;
type HpaSpec = k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec;
type PdbSpec = k8s.types.input.policy.v1.PodDisruptionBudgetSpec;
type NetworkPolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;

/** Seconds Kubernetes waits after SIGTERM; the app's own shutdown timeout stays below it. */
export const TERMINATION_GRACE_SECONDS = 30;

/** Seconds a terminating pod keeps serving while Services and load balancers stop sending to it. */
export const PRE_STOP_SECONDS = 5;

/** Environment variables of the service itself (connection settings come from connectionEnv). */
export function plainEnv(service: ServiceSpec, cacheTtlSeconds: number): { name: string; value: string }[] {
    return [
        { name: "PORT", value: String(service.containerPort) },
        { name: "CACHE_TTL_SECONDS", value: String(cacheTtlSeconds) },
        // The grace period covers the preStop pause, the app's own drain, and 5 s to spare.
        { name: "SHUTDOWN_TIMEOUT_MS", value: String((TERMINATION_GRACE_SECONDS - PRE_STOP_SECONDS - 5) * 1000) },
    ];
}

/**
 * The Deployment spec. It never sets `replicas`: the HPA owns the count, and a `replicas`
 * field would make every `pulumi up` reset what the autoscaler chose.
 */
export function deploymentSpec(args: {
    service: ServiceSpec;
    image: pulumi.Input<string>;
    serviceAccountName: pulumi.Input<string>;
    /** Secret whose keys (the passwords) are mounted as files under /run/secrets. */
    connectionSecretName: pulumi.Input<string>;
    /** Connection settings: plain values and `*_FILE` paths (see connectionEnv). */
    connectionEnv: readonly { name: string; value: pulumi.Input<string> }[];
    cacheTtlSeconds: number;
}): DeploymentSpec {
    const { service } = args;
    const labels = serviceLabels(service.name, "web");
    const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
        httpGet: { path, port: "http" },
        periodSeconds,
        // The app's readiness check waits up to 2 s per dependency.
        timeoutSeconds: 3,
        failureThreshold,
    });
    return {
        selector: { matchLabels: selectorLabels(service.name) },
        // Surge one pod and never remove a ready one first, so a rollout never drops below the PDB.
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        revisionHistoryLimit: 5,
        template: {
            metadata: { labels },
            spec: {
                serviceAccountName: args.serviceAccountName,
                automountServiceAccountToken: false,
                terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
                securityContext: podSecurityContext(APP_UID),
                topologySpreadConstraints: ["kubernetes.io/hostname", "topology.kubernetes.io/zone"].map((topologyKey) => ({
                    maxSkew: 1,
                    topologyKey,
                    // Spread when possible; a one-node or one-zone cluster must still schedule.
                    whenUnsatisfiable: "ScheduleAnyway",
                    labelSelector: { matchLabels: selectorLabels(service.name) },
                })),
                containers: [
                    {
                        name: service.name,
                        image: args.image,
                        ports: [{ name: "http", containerPort: service.containerPort, protocol: "TCP" }],
                        env: [...plainEnv(service, args.cacheTtlSeconds), ...args.connectionEnv],
                        resources: {
                            requests: { cpu: service.cpu.request, memory: service.memory.request },
                            limits: { cpu: service.cpu.limit, memory: service.memory.limit },
                        },
                        // Readiness is probed only once startup succeeded, on its own ticker: short
                        // periods put a new pod in the endpoints sooner (the inner loop waits on it),
                        // with the same budgets: 60 s to start, 10 s of failures to leave the endpoints.
                        startupProbe: probe(service.healthPath, 1, 60),
                        livenessProbe: probe(service.healthPath, 10, 3),
                        readinessProbe: probe(service.readyPath, 2, 5),
                        securityContext: containerSecurityContext(APP_UID),
                        // The app stops listening on SIGTERM; this pause lets endpoints drop the pod first.
                        lifecycle: { preStop: { sleep: { seconds: PRE_STOP_SECONDS } } },
                        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }, secretMount("connection")],
                    },
                ],
                // The root file system is read-only; /tmp is the one writable place.
                volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }, secretVolume("connection", args.connectionSecretName)],
            },
        },
    };
}

/** The HPA: CPU and memory targets, replica range and scaling pace from config. */
export function hpaSpec(service: ServiceSpec, deploymentName: pulumi.Input<string>): HpaSpec {
    const { scaleUp, scaleDown } = service.hpa;
    return {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deploymentName },
        minReplicas: service.replicas.min,
        maxReplicas: service.replicas.max,
        metrics: [
            {
                type: "Resource",
                resource: { name: "cpu", target: { type: "Utilization", averageUtilization: service.hpa.cpuUtilization } },
            },
            {
                type: "Resource",
                resource: { name: "memory", target: { type: "Utilization", averageUtilization: service.hpa.memoryUtilization } },
            },
        ],
        behavior: {
            scaleUp: {
                stabilizationWindowSeconds: scaleUp.stabilizationSeconds,
                // Max: whichever policy allows more pods, so a small deployment still grows by several.
                selectPolicy: "Max",
                policies: [
                    { type: "Percent", value: scaleUp.percent, periodSeconds: scaleUp.periodSeconds },
                    { type: "Pods", value: scaleUp.pods, periodSeconds: scaleUp.periodSeconds },
                ],
            },
            scaleDown: {
                stabilizationWindowSeconds: scaleDown.stabilizationSeconds,
                selectPolicy: "Max",
                policies: [{ type: "Percent", value: scaleDown.percent, periodSeconds: scaleDown.periodSeconds }],
            },
        },
    };
}

/**
 * The PDB: at most one pod voluntarily disrupted at a time (drains proceed, never all at once).
 * Pods that are not ready may always be evicted: with the default policy a crash-looping pod
 * counts against the budget and blocks every node drain (kube-linter pdb-unhealthy-pod-eviction-policy).
 */
export function pdbSpec(service: ServiceSpec): PdbSpec {
    return { maxUnavailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow", selector: { matchLabels: selectorLabels(service.name) } };
}

/** The Service spec for the target's way in (NodePort, LoadBalancer, or ClusterIP when not public). */
export function serviceSpec(service: ServiceSpec, wayIn: WayIn, publicIndex: number | undefined): ServiceSpecK8s {
    const port = { name: "http", port: 80, targetPort: "http", protocol: "TCP" };
    const selector = selectorLabels(service.name);
    if (publicIndex === undefined) return { type: "ClusterIP", selector, ports: [port] };
    if (wayIn.kind === "nodePort") {
        return { type: "NodePort", selector, ports: [{ ...port, nodePort: publicPortFor(wayIn.nodePortBase, publicIndex) }] };
    }
    return {
        type: "LoadBalancer",
        selector,
        ports: [port],
        externalTrafficPolicy: "Local",
        loadBalancerSourceRanges: wayIn.sourceRanges.length > 0 ? [...wayIn.sourceRanges] : undefined,
    };
}

function egressRule(peer: NetworkPeer): k8s.types.input.networking.v1.NetworkPolicyEgressRule {
    const ports = [{ protocol: "TCP", port: peer.port }];
    if (peer.kind === "pods") return { to: [{ podSelector: { matchLabels: { ...peer.labels } } }], ports };
    return { to: peer.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports };
}

/** The service's allows on top of the namespace's default deny: in to its port, out to the data it needs. */
export function serviceNetworkPolicy(
    service: ServiceSpec,
    data: { readonly redis?: { readonly peer: NetworkPeer }; readonly postgres?: { readonly peer: NetworkPeer } },
): NetworkPolicySpec {
    const egress = [data.redis, data.postgres].flatMap((endpoint) => (endpoint ? [egressRule(endpoint.peer)] : []));
    return {
        podSelector: { matchLabels: selectorLabels(service.name) },
        policyTypes: ["Ingress", "Egress"],
        // Load balancers and node ports bring traffic from outside the cluster: allow the port, from anywhere.
        ingress: [{ ports: [{ protocol: "TCP", port: service.containerPort }] }],
        egress,
    };
}
