/**
 * The Pod Security Standards "restricted" profile as securityContexts, shared by every
 * workload the program renders (app services and in-cluster data alike).
 */
import type * as k8s from "@pulumi/kubernetes";

type PodSecurityContext = k8s.types.input.core.v1.PodSecurityContext;
type SecurityContext = k8s.types.input.core.v1.SecurityContext;

/** The namespace labels that make the API server enforce "restricted". */
export const RESTRICTED_NAMESPACE_LABELS: Readonly<Record<string, string>> = {
    "pod-security.kubernetes.io/enforce": "restricted",
    "pod-security.kubernetes.io/enforce-version": "latest",
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/warn": "restricted",
};

/**
 * Pod-level context: a fixed non-root user, volumes group-owned by it, the runtime's seccomp profile.
 *
 * `fsGroupChangePolicy: "OnRootMismatch"`: the kubelet changes a volume's ownership and mode only
 * while its root does not have them yet (the first mount). The default ("Always") walks the whole
 * volume on every mount and makes everything group-accessible, which PostgreSQL refuses on its data
 * directory (it must be 0700 or 0750): a replaced or restarted postgres pod never came back.
 */
export function podSecurityContext(uid: number): PodSecurityContext {
    return {
        runAsNonRoot: true,
        runAsUser: uid,
        runAsGroup: uid,
        fsGroup: uid,
        fsGroupChangePolicy: "OnRootMismatch",
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** Container-level context: read-only root, no privilege escalation, every capability dropped. */
export function containerSecurityContext(uid: number): SecurityContext {
    return {
        runAsNonRoot: true,
        runAsUser: uid,
        runAsGroup: uid,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        privileged: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** Folder secrets are mounted in, as on Swarm: the app and the data images read `*_FILE` paths into it. */
export const SECRETS_DIR = "/run/secrets";

/**
 * Mode of mounted secret files: readable by their owner and the pod's fsGroup (the container's
 * group), by nobody else. Secrets reach containers as files, never as environment variables,
 * which leak into crash dumps, `/proc/<pid>/environ` and child processes (checkov CKV_K8S_35).
 */
export const SECRET_FILE_MODE = 0o440;

/** A pod volume holding a Secret's keys as files under {@link SECRETS_DIR}. */
export function secretVolume(
    name: string,
    secretName: k8s.types.input.core.v1.SecretVolumeSource["secretName"],
): k8s.types.input.core.v1.Volume {
    return { name, secret: { secretName, defaultMode: SECRET_FILE_MODE } };
}

/** The read-only mount of a {@link secretVolume}. */
export function secretMount(name: string): k8s.types.input.core.v1.VolumeMount {
    return { name, mountPath: SECRETS_DIR, readOnly: true };
}
