/**
 * Pod Security Standards ("restricted" profile, and the "baseline" checks it keeps): who the
 * containers run as, what they may do to the node, and which host resources they may touch.
 */
import type { ResourceRule } from "../../rule";
import { arr, isTrue, num, obj, Props, str, strings } from "../../values";
import { containersOf, describe, onPodSpec, WORKLOAD_TYPES } from "./workloads";

const sc = (spec: Props): Props => obj(spec.securityContext);

/** Containers run as a non-root user (PSS restricted: runAsNonRoot, runAsUser ≠ 0). */
export const runAsNonRoot: ResourceRule = {
    kind: "resource",
    name: "k8s-run-as-non-root",
    description:
        "A process running as root in a container is root on the node after any container escape; the kubelet refuses to start a runAsNonRoot container whose image would run as UID 0.",
    remediation: "set spec.securityContext.runAsNonRoot: true (or on every container) and a non-zero runAsUser; never set runAsUser: 0",
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) => {
        const podNonRoot = isTrue(sc(pod).runAsNonRoot);
        const problems: string[] = [];
        if (num(sc(pod).runAsUser) === 0) problems.push("the pod sets runAsUser: 0");
        for (const c of containersOf(pod)) {
            const own = sc(c.spec).runAsNonRoot;
            if (own === false || (!podNonRoot && !isTrue(own))) problems.push(`${describe(c)} may run as root (runAsNonRoot is not true)`);
            if (num(sc(c.spec).runAsUser) === 0) problems.push(`${describe(c)} sets runAsUser: 0`);
        }
        return problems;
    }),
};

/** No container may gain more privileges than its parent process (setuid binaries, file capabilities). */
export const noPrivilegeEscalation: ResourceRule = {
    kind: "resource",
    name: "k8s-no-privilege-escalation",
    description:
        "allowPrivilegeEscalation defaults to true, so a setuid binary in the image can regain privileges the container was meant not to have (PSS restricted).",
    remediation: "set securityContext.allowPrivilegeEscalation: false on every container, init container and ephemeral container",
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) =>
        containersOf(pod)
            .filter((c) => sc(c.spec).allowPrivilegeEscalation !== false)
            .map((c) => `${describe(c)} does not set allowPrivilegeEscalation: false`),
    ),
};

/** Capabilities Pod Security "restricted" lets a container add back after dropping ALL. */
export const ALLOWED_ADDED_CAPABILITIES: readonly string[] = ["NET_BIND_SERVICE"];

/** Every Linux capability dropped; only NET_BIND_SERVICE may be added back. */
export const dropAllCapabilities: ResourceRule = {
    kind: "resource",
    name: "k8s-drop-all-capabilities",
    description:
        "The runtime's default capability set (NET_RAW, CHOWN, SETUID, ...) enables ARP spoofing and privilege games no app needs (PSS restricted).",
    remediation: 'set securityContext.capabilities.drop: ["ALL"] on every container and add back nothing but NET_BIND_SERVICE',
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) =>
        containersOf(pod).flatMap((c) => {
            const caps = obj(sc(c.spec).capabilities);
            const problems: string[] = [];
            if (!strings(caps.drop).some((cap) => cap.toUpperCase() === "ALL"))
                problems.push(`${describe(c)} does not drop ALL capabilities`);
            const added = strings(caps.add).filter((cap) => !ALLOWED_ADDED_CAPABILITIES.includes(cap.toUpperCase().replace(/^CAP_/, "")));
            if (added.length > 0) problems.push(`${describe(c)} adds capabilities ${added.join(", ")}`);
            return problems;
        }),
    ),
};

const SECCOMP_OK = ["RuntimeDefault", "Localhost"];

/** A seccomp profile on every container (the pod's counts for its containers). */
export const seccompRuntimeDefault: ResourceRule = {
    kind: "resource",
    name: "k8s-seccomp-runtime-default",
    description:
        "Without a seccomp profile a container may call every syscall, including the rarely used ones most kernel exploits go through (PSS restricted).",
    remediation:
        "set spec.securityContext.seccompProfile.type: RuntimeDefault (or Localhost) on the pod, and never Unconfined on a container",
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) => {
        const podType = str(obj(sc(pod).seccompProfile).type);
        const problems: string[] = [];
        if (podType !== undefined && !SECCOMP_OK.includes(podType)) problems.push(`the pod sets seccompProfile.type: ${podType}`);
        for (const c of containersOf(pod)) {
            const own = str(obj(sc(c.spec).seccompProfile).type);
            if (own !== undefined && !SECCOMP_OK.includes(own)) problems.push(`${describe(c)} sets seccompProfile.type: ${own}`);
            else if (own === undefined && (podType === undefined || !SECCOMP_OK.includes(podType)))
                problems.push(`${describe(c)} has no seccomp profile`);
        }
        return problems;
    }),
};

/** The container's root file system is read-only (writable scratch goes to emptyDir volumes). */
export const readOnlyRootFilesystem: ResourceRule = {
    kind: "resource",
    name: "k8s-read-only-root-fs",
    description:
        "A writable root file system lets an intruder drop and run tools and alter the app's code; read-only roots keep the container equal to its image (kube-linter no-read-only-root-fs).",
    remediation: "set securityContext.readOnlyRootFilesystem: true on every container and mount an emptyDir where the app must write",
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) =>
        containersOf(pod)
            .filter((c) => !isTrue(sc(c.spec).readOnlyRootFilesystem))
            .map((c) => `${describe(c)} does not set readOnlyRootFilesystem: true`),
    ),
};

/** No privileged containers. */
export const noPrivileged: ResourceRule = {
    kind: "resource",
    name: "k8s-no-privileged",
    description: "A privileged container has every capability and every host device: it is root on the node (PSS baseline).",
    remediation: "remove securityContext.privileged or set it to false",
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) =>
        containersOf(pod)
            .filter((c) => isTrue(sc(c.spec).privileged))
            .map((c) => `${describe(c)} is privileged`),
    ),
};

/** No hostPath volumes. */
export const noHostPath: ResourceRule = {
    kind: "resource",
    name: "k8s-no-host-path",
    description:
        "A hostPath volume exposes the node's file system (kubelet credentials, the container runtime socket) to the pod (PSS baseline).",
    remediation: "replace hostPath volumes with emptyDir, configMap, secret, projected or persistentVolumeClaim volumes",
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) =>
        arr(pod.volumes)
            .map(obj)
            .filter((v) => v.hostPath !== undefined)
            .map((v) => `volume ${str(v.name) ?? "(unnamed)"} is a hostPath (${str(obj(v.hostPath).path) ?? "?"})`),
    ),
};

/** Volume types Pod Security "restricted" allows. */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = [
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

/** Only the volume types the restricted profile allows. */
export const restrictedVolumeTypes: ResourceRule = {
    kind: "resource",
    name: "k8s-restricted-volume-types",
    description:
        "Volume types outside the restricted set (hostPath, nfs, iscsi, ...) reach node or network storage the pod's identity does not control (PSS restricted).",
    remediation: `use only ${RESTRICTED_VOLUME_TYPES.join(", ")} volumes`,
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) =>
        arr(pod.volumes)
            .map(obj)
            .flatMap((v) => {
                const kinds = Object.keys(v).filter((k) => k !== "name" && !RESTRICTED_VOLUME_TYPES.includes(k));
                return kinds.length > 0 ? [`volume ${str(v.name) ?? "(unnamed)"} has type ${kinds.join(", ")}`] : [];
            }),
    ),
};

function hostNamespaceRule(field: "hostNetwork" | "hostPID" | "hostIPC", name: string, why: string): ResourceRule {
    return {
        kind: "resource",
        name,
        description: why,
        remediation: `remove spec.${field} from the pod template or set it to false`,
        types: WORKLOAD_TYPES,
        check: onPodSpec((pod) => (isTrue(pod[field]) ? [`the pod sets ${field}: true`] : [])),
    };
}

/** The pod does not share the node's network namespace. */
export const noHostNetwork = hostNamespaceRule(
    "hostNetwork",
    "k8s-no-host-network",
    "A pod on the host network can bind node ports, sniff node traffic and bypass every NetworkPolicy (PSS baseline).",
);

/** The pod does not share the node's process namespace. */
export const noHostPid = hostNamespaceRule(
    "hostPID",
    "k8s-no-host-pid",
    "A pod in the host PID namespace sees and can signal or ptrace every process on the node (PSS baseline).",
);

/** The pod does not share the node's IPC namespace. */
export const noHostIpc = hostNamespaceRule(
    "hostIPC",
    "k8s-no-host-ipc",
    "A pod in the host IPC namespace can read shared memory of every process on the node (PSS baseline).",
);

/** No container binds a port on the node. */
export const noHostPorts: ResourceRule = {
    kind: "resource",
    name: "k8s-no-host-ports",
    description:
        "A hostPort opens the node itself to traffic, bypassing Services and NetworkPolicies, and pins the pod to nodes where the port is free (PSS baseline).",
    remediation: "remove hostPort from container ports; publish through a Service instead",
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) =>
        containersOf(pod).flatMap((c) =>
            arr(c.spec.ports)
                .map(obj)
                .filter((p) => (num(p.hostPort) ?? 0) !== 0)
                .map((p) => `${describe(c)} binds hostPort ${String(p.hostPort)}`),
        ),
    ),
};
