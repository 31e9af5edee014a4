/**
 * How a workload's parts fit together: names, ports, selectors and API versions that the API
 * server accepts but that break traffic, probes or rollouts (kube-linter's default checks).
 */
import type { ResourceRule } from "../../rule";
import { arr, num, obj, Props, str, text } from "../../values";
import { selects } from "./selectors";
import { appContainersOf, containersOf, describe, onPodSpec, WORKLOAD_TYPES } from "./workloads";

/** No container sets the same environment variable twice (the last one silently wins). */
export const noDuplicateEnv: ResourceRule = {
    kind: "resource",
    name: "k8s-no-duplicate-env",
    description:
        "When a container lists an env variable twice the API server keeps both and the runtime uses the last, so an edit to the first copy has no effect and reviews read the wrong value (kube-linter duplicate-env-var).",
    remediation: "set each environment variable once per container",
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) =>
        containersOf(pod).flatMap((c) => {
            const names = arr(c.spec.env).map((e) => str(obj(e).name) ?? "");
            const twice = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
            return twice.map((n) => `${describe(c)} sets ${n} more than once`);
        }),
    ),
};

/** Whether a port name is a valid IANA service name (RFC 6335 §5.1), as Kubernetes requires of named ports. */
export function isIanaServiceName(name: string): boolean {
    return (
        name.length >= 1 && name.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name) && !name.includes("--") && /[a-z]/.test(name)
    );
}

/** Container port names and Service target ports are valid names or port numbers. */
export const validPortNames: ResourceRule = {
    kind: "resource",
    name: "k8s-valid-port-names",
    description:
        "A port name that is not an IANA service name, or a target port outside 1-65535, makes Services and probes that refer to it fail to resolve: traffic goes nowhere (kube-linter invalid-target-ports).",
    remediation:
        "name ports with at most 15 lowercase letters, digits and single hyphens (at least one letter), and use target ports from 1 to 65535",
    types: [...WORKLOAD_TYPES, "kubernetes:core/v1:Service"],
    check: (resource) => {
        if (resource.type === "kubernetes:core/v1:Service") {
            return arr(obj(resource.props.spec).ports)
                .map(obj)
                .flatMap((p) => {
                    const target = p.targetPort;
                    if (target === undefined) return [];
                    const n = num(target);
                    if (n !== undefined)
                        return n >= 1 && n <= 65535 && Number.isInteger(n) ? [] : [`targetPort ${text(target)} is not a port number`];
                    const name = str(target) ?? "";
                    return isIanaServiceName(name) ? [] : [`targetPort ${name} is not a valid port name`];
                });
        }
        return onPodSpec((pod) =>
            containersOf(pod).flatMap((c) =>
                arr(c.spec.ports)
                    .map((p) => str(obj(p).name))
                    .filter((n): n is string => n !== undefined && !isIanaServiceName(n))
                    .map((n) => `${describe(c)} names a port ${n}, not a valid port name`),
            ),
        )(resource);
    },
};

const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"] as const;

/** Probes aim at ports the container exposes. */
export const probePortsExposed: ResourceRule = {
    kind: "resource",
    name: "k8s-probe-ports-exposed",
    description:
        "A probe on a port the container does not declare (a typo in a name, a port that moved) fails forever: the pod never gets ready, or is restarted in a loop (kube-linter liveness-port, readiness-port, startup-port).",
    remediation: "point httpGet, tcpSocket and grpc probes at a port listed in the container's ports, by name or number",
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) =>
        appContainersOf(pod).flatMap((c) => {
            const ports = arr(c.spec.ports).map(obj);
            const names = ports.map((p) => str(p.name)).filter((n): n is string => n !== undefined);
            const numbers = ports.map((p) => num(p.containerPort)).filter((n): n is number => n !== undefined);
            return PROBES.flatMap((field) => {
                const probe = obj(c.spec[field]);
                return (["httpGet", "tcpSocket", "grpc"] as const).flatMap((kind) => {
                    const port = obj(probe[kind]).port;
                    if (port === undefined) return [];
                    const n = num(port);
                    const ok = n !== undefined ? numbers.includes(n) : names.includes(str(port) ?? "");
                    return ok ? [] : [`${describe(c)} ${field} targets port ${text(port)}, which the container does not expose`];
                });
            });
        }),
    ),
};

/** No container exposes port 22. */
export const noSshPort: ResourceRule = {
    kind: "resource",
    name: "k8s-no-ssh-port",
    description:
        "An SSH server in a container is a second way in that bypasses the image's immutability and the cluster's audit; port 22 in a workload is nearly always one (kube-linter ssh-port).",
    remediation: "remove port 22 from container ports; use kubectl exec or ephemeral debug containers instead of SSH",
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) =>
        containersOf(pod).flatMap((c) =>
            arr(c.spec.ports)
                .map(obj)
                .filter((p) => num(p.containerPort) === 22 && (str(p.protocol) ?? "TCP") === "TCP")
                .map(() => `${describe(c)} exposes port 22 (SSH)`),
        ),
    ),
};

/** Workloads whose selector must select their own pod template. */
const SELECTOR_TYPES = [
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:apps/v1:ReplicaSet",
];

/** A workload's selector matches its own pod template. */
export const selectorMatchesTemplate: ResourceRule = {
    kind: "resource",
    name: "k8s-selector-matches-template",
    description:
        "A workload whose selector does not match its pod template's labels is refused by the API server, or (for selectors without matchLabels) adopts or orphans pods it did not create (kube-linter mismatching-selector).",
    remediation: "make spec.selector.matchLabels a subset of spec.template.metadata.labels",
    types: SELECTOR_TYPES,
    check: ({ type, props }) => {
        if (!SELECTOR_TYPES.includes(type)) return [];
        const spec = obj(props.spec);
        const labels: Props = obj(obj(obj(spec.template).metadata).labels);
        if (spec.selector === undefined) return ["spec.selector is unset"];
        return selects(spec.selector, labels) ? [] : ["spec.selector does not select the pod template's labels"];
    },
};

/** Pods name their service account with serviceAccountName, not the deprecated serviceAccount. */
export const noDeprecatedServiceAccountField: ResourceRule = {
    kind: "resource",
    name: "k8s-no-deprecated-service-account-field",
    description:
        "spec.serviceAccount is a deprecated alias; when it and serviceAccountName disagree, readers and tools see different identities for the same pod (kube-linter deprecated-service-account-field).",
    remediation: "set spec.serviceAccountName and remove spec.serviceAccount",
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) => {
        const legacy = str(pod.serviceAccount);
        if (legacy === undefined || legacy === "") return [];
        return legacy === str(pod.serviceAccountName)
            ? ["the pod repeats its service account in the deprecated serviceAccount field"]
            : [`the pod sets the deprecated serviceAccount: ${legacy}`];
    }),
};

/** API groups that were removed from Kubernetes. */
export const REMOVED_API_PREFIXES: readonly string[] = [
    "kubernetes:extensions/v1beta1:",
    "kubernetes:apps/v1beta1:",
    "kubernetes:apps/v1beta2:",
    "kubernetes:policy/v1beta1:PodSecurityPolicy",
];

/** No object uses an API version Kubernetes removed. */
export const noRemovedApis: ResourceRule = {
    kind: "resource",
    name: "k8s-no-removed-apis",
    description:
        "extensions/v1beta1 and apps/v1beta1/v1beta2 were removed in Kubernetes 1.16, and PodSecurityPolicy in 1.25; objects in them fail to apply on any current cluster (kube-linter no-extensions-v1beta).",
    remediation:
        "use apps/v1 for workloads, networking.k8s.io/v1 for Ingress and NetworkPolicy, and Pod Security admission instead of PodSecurityPolicy",
    types: [],
    check: ({ type }) =>
        REMOVED_API_PREFIXES.some((prefix) => type.startsWith(prefix)) ? [`uses the removed API ${type.replace(/^kubernetes:/, "")}`] : [],
};

/** Finished Jobs are cleaned up; Jobs a CronJob creates are cleaned up by its history limits instead. */
export const jobTtl: ResourceRule = {
    kind: "resource",
    name: "k8s-job-ttl",
    description:
        "A finished Job and its pods stay in the API server forever unless ttlSecondsAfterFinished removes them; under a CronJob the TTL fights the history limits (kube-linter job-ttl-seconds-after-finished).",
    remediation:
        "set spec.ttlSecondsAfterFinished on standalone Jobs; leave it unset in a CronJob's jobTemplate (use successfulJobsHistoryLimit)",
    types: ["kubernetes:batch/v1:Job", "kubernetes:batch/v1:CronJob"],
    check: ({ type, props }) => {
        if (type === "kubernetes:batch/v1:Job")
            return num(obj(props.spec).ttlSecondsAfterFinished) === undefined ? ["the Job sets no ttlSecondsAfterFinished"] : [];
        if (type === "kubernetes:batch/v1:CronJob")
            return num(obj(obj(obj(props.spec).jobTemplate).spec).ttlSecondsAfterFinished) === undefined
                ? []
                : ["the CronJob's jobTemplate sets ttlSecondsAfterFinished"];
        return [];
    },
};

/** Kinds that live outside namespaces. */
export const CLUSTER_SCOPED_KINDS: readonly string[] = [
    "Namespace",
    "Node",
    "PersistentVolume",
    "StorageClass",
    "CSIDriver",
    "CSINode",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PriorityClass",
    "IngressClass",
    "RuntimeClass",
    "APIService",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "VolumeAttachment",
    "CertificateSigningRequest",
];

/** The kind of a `kubernetes:<group>/<version>:<Kind>` type, or undefined for other types. */
export function kubernetesKindOf(type: string): string | undefined {
    return /^kubernetes:[a-z0-9.]+\/[a-z0-9]+:([A-Za-z]+)$/.exec(type)?.[1];
}

/** Namespaced objects live in a namespace of their own, never "default". */
export const noDefaultNamespace: ResourceRule = {
    kind: "resource",
    name: "k8s-no-default-namespace",
    description:
        "Objects in the default namespace share it with whatever else lands there by accident, get no Pod Security label or default-deny policy of ours, and are hard to clean up (checkov CKV_K8S_21).",
    remediation:
        "set metadata.namespace to the app's namespace (platform:app.namespace), which the program labels restricted and denies by default",
    types: [],
    check: ({ type, props }) => {
        const kind = kubernetesKindOf(type);
        if (kind === undefined || CLUSTER_SCOPED_KINDS.includes(kind) || kind.endsWith("List")) return [];
        const namespace = str(obj(props.metadata).namespace);
        return namespace === undefined || namespace === "" || namespace === "default" ? [`${kind} is in the default namespace`] : [];
    },
};
