/** Azure checks of checkov's AKS, ACR and Redis sets beyond the first Azure rules. */
import type { ResourceRule } from "../rule";
import { arr, at, isTrue, obj, Props, str, strings } from "../values";

const AKS = "azure-native:containerservice:ManagedCluster";
const AGENT_POOL = "azure-native:containerservice:AgentPool";

/** The node pools of a cluster or a separate AgentPool, each with a label for messages. */
function pools(type: string, props: Props): [string, Props][] {
    if (type === AGENT_POOL) return [[`pool ${str(props.agentPoolName) ?? "?"}`, props]];
    return arr(props.agentPoolProfiles)
        .map(obj)
        .map((p): [string, Props] => [`pool ${str(p.name) ?? "?"}`, p]);
}

/** Control plane and container logs go to Log Analytics. */
export const aksMonitoring: ResourceRule = {
    kind: "resource",
    name: "azure-aks-monitoring",
    description:
        "Without the monitoring add-on there are no container logs or node metrics outside the cluster: once a node or pod is gone, so is the evidence (checkov CKV_AZURE_4).",
    remediation: "set addonProfiles.omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: <workspace id> } }",
    types: [AKS],
    check: ({ props }) => (isTrue(at(props, "addonProfiles.omsagent.enabled")) ? [] : ["the monitoring add-on (omsagent) is off"]),
};

/** Nodes get no public IP addresses. */
export const aksNodesNoPublicIp: ResourceRule = {
    kind: "resource",
    name: "azure-aks-nodes-no-public-ip",
    description:
        "A node with a public IP is reachable from the internet around the load balancer and every NetworkPolicy (checkov CKV_AZURE_143).",
    remediation: "set enableNodePublicIP: false on every agent pool",
    types: [AKS, AGENT_POOL],
    check: ({ type, props }) =>
        pools(type, props)
            .filter(([, p]) => isTrue(p.enableNodePublicIP))
            .map(([label]) => `${label} gives nodes public IPs`),
};

/** Node pools are virtual machine scale sets. */
export const aksScaleSets: ResourceRule = {
    kind: "resource",
    name: "azure-aks-scale-sets",
    description:
        "Availability-set pools cannot autoscale, span zones or upgrade node images in place; scale sets are what the cluster autoscaler and zone spreading need (checkov CKV_AZURE_169).",
    remediation: 'set type: "VirtualMachineScaleSets" on every agent pool',
    types: [AKS, AGENT_POOL],
    check: ({ type, props }) =>
        pools(type, props)
            .filter(([, p]) => str(p.type) !== "VirtualMachineScaleSets")
            .map(([label, p]) => `${label} is ${str(p.type) ?? "unset"}, not VirtualMachineScaleSets`),
};

/** The system pool runs only critical add-ons. */
export const aksSystemPoolCriticalOnly: ResourceRule = {
    kind: "resource",
    name: "azure-aks-system-pool-critical-only",
    description:
        "App pods on the system pool compete with CoreDNS and the metrics server for the same nodes; a noisy app then takes cluster DNS down with it (checkov CKV_AZURE_232).",
    remediation: 'add the taint "CriticalAddonsOnly=true:NoSchedule" to every System-mode pool and run apps on a User pool',
    types: [AKS, AGENT_POOL],
    check: ({ type, props }) =>
        pools(type, props)
            .filter(([, p]) => str(p.mode) === "System" && !strings(p.nodeTaints).includes("CriticalAddonsOnly=true:NoSchedule"))
            .map(([label]) => `${label} is a System pool without the CriticalAddonsOnly taint`),
};

/** Patches are applied automatically. */
export const aksAutoUpgrade: ResourceRule = {
    kind: "resource",
    name: "azure-aks-auto-upgrade",
    description:
        "Without an upgrade channel Kubernetes patch releases (the CVE fixes) wait for a human; AKS then force-upgrades clusters that fall out of support (checkov CKV_AZURE_171).",
    remediation: 'set autoUpgradeProfile.upgradeChannel to "patch" (or stable, rapid, node-image)',
    types: [AKS],
    check: ({ props }) => {
        const channel = str(at(props, "autoUpgradeProfile.upgradeChannel"));
        return channel !== undefined && channel !== "none" ? [] : [`autoUpgradeProfile.upgradeChannel is ${channel ?? "unset"}`];
    },
};

/** Secrets Store CSI secrets follow rotations in Key Vault. */
export const aksSecretRotation: ResourceRule = {
    kind: "resource",
    name: "azure-aks-secret-rotation",
    description:
        "Without rotation, pods keep a Key Vault secret's old value after it is rotated, so rotating a leaked secret does not stop its use (checkov CKV_AZURE_172).",
    remediation: 'set addonProfiles.azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: "true" } }',
    types: [AKS],
    check: ({ props }) => {
        const addon = obj(at(props, "addonProfiles.azureKeyvaultSecretsProvider"));
        return isTrue(addon.enabled) && isTrue(obj(addon.config).enableSecretRotation)
            ? []
            : ["the Key Vault secrets provider with secret rotation is off"];
    },
};

/** Pods take addresses from the VNet (Azure CNI). */
export const aksAzureCni: ResourceRule = {
    kind: "resource",
    name: "azure-aks-azure-cni",
    description:
        "With Azure CNI pods are first-class VNet addresses that NSGs, private endpoints and the data services' firewalls see; kubenet hides them behind node NAT (checkov CKV2_AZURE_29).",
    remediation: 'set networkProfile.networkPlugin: "azure"',
    types: [AKS],
    check: ({ props }) =>
        str(at(props, "networkProfile.networkPlugin")) === "azure"
            ? []
            : [`networkProfile.networkPlugin is ${str(at(props, "networkProfile.networkPlugin")) ?? "unset"}, not azure`],
};

/** The HTTP application routing add-on is off. */
export const aksNoHttpApplicationRouting: ResourceRule = {
    kind: "resource",
    name: "azure-aks-no-http-application-routing",
    description:
        "HTTP application routing publishes services on public DNS names without TLS and was never meant for production; Microsoft retired it (checkov CKV_AZURE_246).",
    remediation: "leave addonProfiles.httpApplicationRouting unset or disabled; use a LoadBalancer Service or the app routing add-on",
    types: [AKS],
    check: ({ props }) =>
        isTrue(at(props, "addonProfiles.httpApplicationRouting.enabled")) ? ["the HTTP application routing add-on is on"] : [],
};

/** The registry refuses anonymous pulls. */
export const acrNoAnonymousPull: ResourceRule = {
    kind: "resource",
    name: "azure-acr-no-anonymous-pull",
    description:
        "Anonymous pull lets anyone on the internet download every image, and the code, configuration and secrets baked into them (checkov CKV_AZURE_138).",
    remediation: "set anonymousPullEnabled: false",
    types: ["azure-native:containerregistry:Registry"],
    check: ({ props }) => (isTrue(props.anonymousPullEnabled) ? ["anonymous pull is enabled"] : []),
};

/** Redis is reachable only through its private endpoint. */
export const redisNoPublicNetwork: ResourceRule = {
    kind: "resource",
    name: "azure-redis-no-public-network",
    description:
        "With public network access the cache has an internet endpoint guarded only by its access key; the private endpoint keeps it inside the VNet (checkov CKV_AZURE_89).",
    remediation: 'set publicNetworkAccess: "Disabled" and reach the cache through a private endpoint',
    types: ["azure-native:redis:Redis", "azure-native:cache:Redis"],
    check: ({ props }) =>
        str(props.publicNetworkAccess) === "Disabled"
            ? []
            : [`publicNetworkAccess is ${str(props.publicNetworkAccess) ?? "unset (Enabled)"}`],
};

/** Every Azure rule added with the coverage matrix. */
export const MORE_AZURE_RULES = [
    aksMonitoring,
    aksNodesNoPublicIp,
    aksScaleSets,
    aksSystemPoolCriticalOnly,
    aksAutoUpgrade,
    aksSecretRotation,
    aksAzureCni,
    aksNoHttpApplicationRouting,
    acrNoAnonymousPull,
    redisNoPublicNetwork,
] as const;
