/**
 * The Pod Security Standards checks the first rules left out: the profiles that confine a
 * container (AppArmor, SELinux), the /proc masks, kernel parameters, Windows host processes and
 * probes aimed at other hosts. Each mirrors one pod-security-admission check (policy/check_*.go).
 */
import type { ResourceRule } from "../../rule";
import { arr, isTrue, obj, Props, str } from "../../values";
import { containersOf, describe, onPodSpec, WORKLOAD_TYPES } from "./workloads";

const sc = (spec: Props): Props => obj(spec.securityContext);

/** The pod's annotations (the legacy AppArmor annotations live there). */
function podAnnotations(type: string, props: Props): Props {
    const path =
        type === "kubernetes:core/v1:Pod"
            ? props.metadata
            : type === "kubernetes:batch/v1:CronJob"
              ? obj(obj(obj(obj(props.spec).jobTemplate).spec).template).metadata
              : obj(obj(props.spec).template).metadata;
    return obj(obj(path).annotations);
}

const APPARMOR_OK = ["RuntimeDefault", "Localhost"];
const APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

/** AppArmor stays on: the runtime's default or a node-local profile, never Unconfined. */
export const appArmorProfile: ResourceRule = {
    kind: "resource",
    name: "k8s-apparmor-profile",
    description:
        "AppArmor confines what a container may touch on the node (mounts, raw sockets, /proc writes); an Unconfined profile turns that off for the container (PSS baseline appArmorProfile).",
    remediation:
        "leave appArmorProfile unset or set type RuntimeDefault (or Localhost); never Unconfined, neither in securityContext nor in container.apparmor.security.beta.kubernetes.io annotations",
    types: WORKLOAD_TYPES,
    check: (resource) => {
        const fromAnnotations = Object.entries(podAnnotations(resource.type, resource.props))
            .filter(
                ([key, value]) =>
                    key.startsWith(APPARMOR_ANNOTATION) &&
                    str(value) !== undefined &&
                    str(value) !== "runtime/default" &&
                    !String(value).startsWith("localhost/"),
            )
            .map(([key, value]) => `annotation ${key} is ${String(value)}`);
        return [
            ...fromAnnotations,
            ...onPodSpec((pod) => {
                const problems: string[] = [];
                const podType = str(obj(sc(pod).appArmorProfile).type);
                if (podType !== undefined && !APPARMOR_OK.includes(podType)) problems.push(`the pod sets appArmorProfile.type: ${podType}`);
                for (const c of containersOf(pod)) {
                    const own = str(obj(sc(c.spec).appArmorProfile).type);
                    if (own !== undefined && !APPARMOR_OK.includes(own)) problems.push(`${describe(c)} sets appArmorProfile.type: ${own}`);
                }
                return problems;
            })(resource),
        ];
    },
};

/** SELinux types a pod may pick (the container types of the runtime's policy). */
export const ALLOWED_SELINUX_TYPES: readonly string[] = ["container_t", "container_init_t", "container_kvm_t"];

/** No custom SELinux user or role, and only the container types. */
export const seLinuxOptions: ResourceRule = {
    kind: "resource",
    name: "k8s-selinux-options",
    description:
        "An SELinux user, role or a type outside the container types lifts the label that keeps a container away from host files and other containers (PSS baseline seLinuxOptions).",
    remediation: `leave seLinuxOptions unset, or set only level, or type one of ${ALLOWED_SELINUX_TYPES.join(", ")}; never user or role`,
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) => {
        const owners: [string, Props][] = [
            ["the pod", sc(pod)],
            ...containersOf(pod).map((c): [string, Props] => [describe(c), sc(c.spec)]),
        ];
        return owners.flatMap(([who, context]) => {
            const options = obj(context.seLinuxOptions);
            const problems: string[] = [];
            const type = str(options.type);
            if (type !== undefined && type !== "" && !ALLOWED_SELINUX_TYPES.includes(type))
                problems.push(`${who} sets seLinuxOptions.type: ${type}`);
            for (const field of ["user", "role"])
                if ((str(options[field]) ?? "") !== "") problems.push(`${who} sets seLinuxOptions.${field}`);
            return problems;
        });
    }),
};

/** The default /proc masks stay in place. */
export const defaultProcMount: ResourceRule = {
    kind: "resource",
    name: "k8s-default-proc-mount",
    description:
        "procMount: Unmasked exposes /proc paths the runtime hides (kcore, keys, sysrq-trigger) that leak host state or let a container act on the node (PSS baseline and restricted procMount).",
    remediation: "leave securityContext.procMount unset or set it to Default",
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) =>
        containersOf(pod)
            .filter((c) => {
                const mount = str(sc(c.spec).procMount);
                return mount !== undefined && mount !== "Default";
            })
            .map((c) => `${describe(c)} sets procMount: ${str(sc(c.spec).procMount) ?? "?"}`),
    ),
};

/**
 * No kernel parameters set from the pod. Pod Security allows a "safe" set, but kube-linter flags
 * several of those (every net.*, kernel.shm*), and this program needs none: a workload that does
 * waives this rule with its reason.
 */
export const noSysctls: ResourceRule = {
    kind: "resource",
    name: "k8s-no-sysctls",
    description:
        "Sysctls set by a pod change the kernel of a node other workloads share; unsafe ones can disable protections or starve the node (PSS baseline sysctls, kube-linter unsafe-sysctls).",
    remediation:
        "remove spec.securityContext.sysctls; tune the node instead, or waive k8s-no-sysctls for the stack naming the sysctl and why",
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) =>
        arr(sc(pod).sysctls)
            .map(obj)
            .map((s) => `the pod sets sysctl ${str(s.name) ?? "?"}`),
    ),
};

/** No Windows HostProcess containers. */
export const noWindowsHostProcess: ResourceRule = {
    kind: "resource",
    name: "k8s-no-windows-host-process",
    description:
        "A Windows HostProcess container runs as a process on the node itself, outside every container boundary (PSS baseline windowsHostProcess).",
    remediation: "remove securityContext.windowsOptions.hostProcess or set it to false, on the pod and every container",
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) => {
        const problems = isTrue(obj(sc(pod).windowsOptions).hostProcess) ? ["the pod sets windowsOptions.hostProcess: true"] : [];
        for (const c of containersOf(pod))
            if (isTrue(obj(sc(c.spec).windowsOptions).hostProcess)) problems.push(`${describe(c)} sets windowsOptions.hostProcess: true`);
        return problems;
    }),
};

const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"] as const;
const HANDLERS = ["postStart", "preStop"] as const;

/** Probes and lifecycle handlers target the pod itself, never another host. */
export const noProbeHost: ResourceRule = {
    kind: "resource",
    name: "k8s-no-probe-host",
    description:
        "A probe or lifecycle hook with a host field makes the kubelet, from the node's network, call any address the pod names: a request-forgery path around NetworkPolicies (PSS baseline hostProbesAndHostLifecycle).",
    remediation: "remove host from httpGet and tcpSocket in probes and lifecycle handlers (they then target the pod's own IP)",
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) =>
        containersOf(pod).flatMap((c) => {
            const handlers: [string, Props][] = [
                ...PROBES.map((p): [string, Props] => [p, obj(c.spec[p])]),
                ...HANDLERS.map((h): [string, Props] => [`lifecycle.${h}`, obj(obj(c.spec.lifecycle)[h])]),
            ];
            return handlers.flatMap(([where, handler]) =>
                (["httpGet", "tcpSocket"] as const)
                    .filter((kind) => (str(obj(handler[kind]).host) ?? "") !== "")
                    .map((kind) => `${describe(c)} ${where}.${kind} sets host ${str(obj(handler[kind]).host) ?? ""}`),
            );
        }),
    ),
};
