/** kube-linter's 31 default checks (it cannot be installed here: the Go module proxy refuses golang.stackrox.io/kube-linter). */
import { covered, Scanner } from "./matrix";

/** The checks internal/defaultchecks/default_checks.go turns on, with docs/generated/checks.md's descriptions. */
export const KUBE_LINTER: Scanner = {
    id: "kube-linter",
    name: "kube-linter default checks",
    source: "stackrox/kube-linter internal/defaultchecks/default_checks.go, docs/generated/checks.md (35de568, v0.8.3)",
    entries: [
        covered("dangling-service", "Services that select no deployment", ["k8s-service-selects-pods"]),
        covered("deprecated-service-account-field", "Deployments using the deprecated serviceAccount field", [
            "k8s-no-deprecated-service-account-field",
        ]),
        covered("docker-sock", "docker.sock mounted in containers", ["k8s-no-host-path"], "stricter: no hostPath at all"),
        covered("drop-net-raw-capability", "Containers that do not drop NET_RAW", ["k8s-drop-all-capabilities"]),
        covered("duplicate-env-var", "Duplicate environment variable names", ["k8s-no-duplicate-env"]),
        covered("env-var-secret", "Secrets as raw environment variable values", ["k8s-no-literal-secret-env", "k8s-secrets-as-files"]),
        covered("host-ipc", "Pods sharing the host IPC namespace", ["k8s-no-host-ipc"]),
        covered("host-network", "Pods sharing the host network namespace", ["k8s-no-host-network"]),
        covered("host-pid", "Pods sharing the host process namespace", ["k8s-no-host-pid"]),
        covered("invalid-target-ports", "Port names and target ports that violate the specification", ["k8s-valid-port-names"]),
        covered("job-ttl-seconds-after-finished", "Jobs without ttlSecondsAfterFinished (and CronJob jobs with one)", ["k8s-job-ttl"]),
        covered("latest-tag", "Images with the latest tag (or none)", ["k8s-image-pinned-by-digest"], "stricter: every image by digest"),
        covered("liveness-port", "Liveness probes on a port the container does not expose", ["k8s-probe-ports-exposed"]),
        covered("mismatching-selector", "Selectors that do not match the pod template labels", ["k8s-selector-matches-template"]),
        covered(
            "no-anti-affinity",
            "Multi-replica deployments without pod anti-affinity",
            ["k8s-replicas-spread-over-nodes"],
            "a topology spread constraint on kubernetes.io/hostname counts as well (the app uses one); kube-linter reads spec.replicas, which the app leaves to its HPA, so the rule reads the HPA's maximum",
        ),
        covered("no-extensions-v1beta", "Objects in the removed extensions/v1beta API", ["k8s-no-removed-apis"]),
        covered("no-read-only-root-fs", "Containers without a read-only root file system", ["k8s-read-only-root-fs"]),
        covered("non-existent-service-account", "Pods naming a service account that does not exist", ["k8s-service-account-exists"]),
        covered("pdb-max-unavailable", "PDBs with maxUnavailable 0", ["k8s-pdb-allows-disruption"]),
        covered("pdb-min-available", "PDBs whose minAvailable keeps every replica", ["k8s-pdb-allows-disruption"]),
        covered(
            "pdb-unhealthy-pod-eviction-policy",
            "PDBs without unhealthyPodEvictionPolicy",
            ["k8s-pdb-unhealthy-pod-eviction"],
            "stricter: it must be AlwaysAllow",
        ),
        covered("privilege-escalation-container", "Containers allowing privilege escalation", ["k8s-no-privilege-escalation"]),
        covered("privileged-container", "Privileged containers", ["k8s-no-privileged"]),
        covered("readiness-port", "Readiness probes on a port the container does not expose", ["k8s-probe-ports-exposed"]),
        covered("run-as-non-root", "Containers not set to run as non-root", ["k8s-run-as-non-root"]),
        covered("sensitive-host-mounts", "Sensitive host directories mounted", ["k8s-no-host-path"], "stricter: no hostPath at all"),
        covered("ssh-port", "Deployments exposing port 22", ["k8s-no-ssh-port"]),
        covered("startup-port", "Startup probes on a port the container does not expose", ["k8s-probe-ports-exposed"]),
        covered("unsafe-sysctls", "Unsafe sysctls", ["k8s-no-sysctls"], "stricter: no sysctl at all"),
        covered("unset-cpu-requirements", "Containers without a CPU request", ["k8s-resource-requests"]),
        covered("unset-memory-requirements", "Containers without a memory request", ["k8s-resource-requests"]),
    ],
};
