/** Pod Security Standards, "restricted" profile: the 12 baseline checks it keeps and its 7 own. */
import { covered, Scanner } from "./matrix";

/** The 19 checks of pod-security-admission (policy/check_*.go), by their check ids. */
export const POD_SECURITY: Scanner = {
    id: "pss",
    name: "Pod Security Standards (restricted)",
    source: "kubernetes/pod-security-admission policy/check_*.go (8f84a87)",
    entries: [
        covered("appArmorProfile", "AppArmor profile is RuntimeDefault, Localhost or unset (baseline)", ["k8s-apparmor-profile"]),
        covered("capabilities_baseline", "No capabilities added beyond the default set (baseline)", ["k8s-drop-all-capabilities"]),
        covered("hostNamespaces", "No hostNetwork, hostPID or hostIPC (baseline)", [
            "k8s-no-host-network",
            "k8s-no-host-pid",
            "k8s-no-host-ipc",
        ]),
        covered("hostPathVolumes", "No hostPath volumes (baseline)", ["k8s-no-host-path"]),
        covered("hostPorts", "No host ports (baseline)", ["k8s-no-host-ports"]),
        covered("hostProbesAndHostLifecycle", "No host field in probes and lifecycle handlers (baseline)", ["k8s-no-probe-host"]),
        covered("privileged", "No privileged containers (baseline)", ["k8s-no-privileged"]),
        covered("procMount", "procMount Default or unset (baseline)", ["k8s-default-proc-mount"]),
        covered("seLinuxOptions", "No custom SELinux user or role; only container types (baseline)", ["k8s-selinux-options"]),
        covered("seccompProfile_baseline", "seccomp not Unconfined (baseline)", ["k8s-seccomp-runtime-default"]),
        covered(
            "sysctls",
            "Only the safe sysctls (baseline)",
            ["k8s-no-sysctls"],
            "stricter: the rule allows no sysctl, since kube-linter flags several of the safe set and the program sets none",
        ),
        covered("windowsHostProcess", "No Windows HostProcess containers (baseline)", ["k8s-no-windows-host-process"]),
        covered("allowPrivilegeEscalation", "allowPrivilegeEscalation: false (restricted)", ["k8s-no-privilege-escalation"]),
        covered("capabilities_restricted", "Drop ALL; add back only NET_BIND_SERVICE (restricted)", ["k8s-drop-all-capabilities"]),
        covered("procMount_restricted", "procMount Default or unset, also in user namespaces (restricted)", ["k8s-default-proc-mount"]),
        covered(
            "restrictedVolumes",
            "Only configMap, csi, downwardAPI, emptyDir, ephemeral, PVC, projected and secret volumes (restricted)",
            ["k8s-restricted-volume-types"],
        ),
        covered("runAsNonRoot", "runAsNonRoot: true (restricted)", ["k8s-run-as-non-root"]),
        covered("runAsUser", "runAsUser is not 0 (restricted)", ["k8s-run-as-non-root"]),
        covered("seccompProfile_restricted", "seccomp RuntimeDefault or Localhost set (restricted)", ["k8s-seccomp-runtime-default"]),
    ],
};
