/** Azure: AKS, ACR, Azure Cache for Redis and PostgreSQL Flexible Server (checkov AKS/ACR/Redis/PostgreSQL sets). */
import type { ResourceRule, StackFinding, StackResourceView, StackRule } from "../rule";
import { admitsEveryone, at, isTrue, obj, str, strings } from "../values";

const AKS = "azure-native:containerservice:ManagedCluster";

/** AKS has no local (certificate) accounts: every access goes through Entra ID. */
export const aksLocalAccountsOff: ResourceRule = {
    kind: "resource",
    name: "azure-aks-local-accounts-off",
    description:
        "Local accounts give a cluster-admin certificate that bypasses Entra ID, conditional access and audit by identity, and cannot be revoked short of rotating the cluster CA (checkov CKV_AZURE_141).",
    remediation: "set disableLocalAccounts: true (with aadProfile.managed: true)",
    types: [AKS],
    check: ({ props }) => (isTrue(props.disableLocalAccounts) ? [] : ["local accounts are enabled (disableLocalAccounts is not true)"]),
};

/** Kubernetes authorization uses Azure RBAC on Entra ID identities. */
export const aksAzureRbac: ResourceRule = {
    kind: "resource",
    name: "azure-aks-azure-rbac",
    description:
        "With Azure RBAC, who may do what in the cluster is granted, reviewed and revoked with Azure role assignments like every other resource, instead of in-cluster bindings nobody audits (checkov CKV_AZURE_5).",
    remediation: "set enableRBAC: true and aadProfile: { managed: true, enableAzureRBAC: true }",
    types: [AKS],
    check: ({ props }) => {
        const problems: string[] = [];
        if (props.enableRBAC === false) problems.push("Kubernetes RBAC is off (enableRBAC: false)");
        const aad = obj(props.aadProfile);
        if (!isTrue(aad.managed) || !isTrue(aad.enableAzureRBAC))
            problems.push("Azure RBAC is off (aadProfile.managed and aadProfile.enableAzureRBAC must be true)");
        return problems;
    },
};

/** The API server is private, or public only to listed ranges that are not the internet. */
export const aksAuthorizedIpRanges: ResourceRule = {
    kind: "resource",
    name: "azure-aks-authorized-ip-ranges",
    description:
        "An AKS API server reachable from any address invites credential attacks and exposes it to every API-server CVE; authorized ranges (or a private cluster) limit who can even connect (checkov CKV_AZURE_6).",
    remediation:
        "set apiServerAccessProfile.authorizedIPRanges to your operators' CIDRs (platform:azure.authorizedIpRanges), never 0.0.0.0/0, or enablePrivateCluster: true",
    types: [AKS],
    check: ({ props }) => {
        const access = obj(props.apiServerAccessProfile);
        if (isTrue(access.enablePrivateCluster)) return [];
        const ranges = strings(access.authorizedIPRanges);
        if (ranges.length === 0) return ["the API server is public and has no authorizedIPRanges"];
        if (admitsEveryone(ranges)) return [`the API server admits everyone (authorizedIPRanges: ${ranges.join(", ")})`];
        return [];
    },
};

/** Network policy engines AKS supports. */
export const AKS_NETWORK_POLICIES: readonly string[] = ["azure", "calico", "cilium"];

/** A NetworkPolicy engine runs, so the app's NetworkPolicies are enforced. */
export const aksNetworkPolicy: ResourceRule = {
    kind: "resource",
    name: "azure-aks-network-policy",
    description:
        "Without a network policy engine AKS accepts NetworkPolicy objects and silently enforces none of them: the default-deny the app relies on is a no-op (checkov CKV_AZURE_7).",
    remediation: `set networkProfile.networkPolicy to one of ${AKS_NETWORK_POLICIES.join(", ")} (platform:azure.networkPolicy)`,
    types: [AKS],
    check: ({ props }) => {
        const policy = str(at(props, "networkProfile.networkPolicy"));
        return policy !== undefined && AKS_NETWORK_POLICIES.includes(policy)
            ? []
            : [`no network policy engine (networkProfile.networkPolicy is ${policy ?? "unset"})`];
    },
};

/** Pods get Entra ID tokens through workload identity (OIDC issuer on), not stored secrets. */
export const aksWorkloadIdentity: ResourceRule = {
    kind: "resource",
    name: "azure-aks-workload-identity",
    description:
        "Workload identity lets pods use federated Entra ID tokens instead of client secrets stored in the cluster; it needs the OIDC issuer (AKS security baseline).",
    remediation: "set oidcIssuerProfile: { enabled: true } and securityProfile: { workloadIdentity: { enabled: true } }",
    types: [AKS],
    check: ({ props }) => {
        const problems: string[] = [];
        if (!isTrue(at(props, "oidcIssuerProfile.enabled"))) problems.push("the OIDC issuer is off");
        if (!isTrue(at(props, "securityProfile.workloadIdentity.enabled"))) problems.push("workload identity is off");
        return problems;
    },
};

const ACR = "azure-native:containerregistry:Registry";

/** The registry's shared admin user is off. */
export const acrAdminUserOff: ResourceRule = {
    kind: "resource",
    name: "azure-acr-admin-user-off",
    description:
        "The ACR admin user is one shared username and password with push rights, outside Entra ID and its audit; anyone who sees it can replace images (checkov CKV_AZURE_137).",
    remediation: "set adminUserEnabled: false and grant AcrPull/AcrPush roles to identities instead",
    types: [ACR],
    check: ({ props }) => (isTrue(props.adminUserEnabled) ? ["the admin user is enabled"] : []),
};

/** The AcrPull built-in role definition id. */
export const ACR_PULL_ROLE_ID = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

/** Whether a role definition id (full resource id or bare GUID) is AcrPull. */
export function isAcrPull(roleDefinitionId: string | undefined): boolean {
    return roleDefinitionId !== undefined && roleDefinitionId.toLowerCase().split("/").pop() === ACR_PULL_ROLE_ID;
}

/** Whether an assignment's scope is the registry: its id in the outputs, or the registry it came from. */
function scopedTo(assignment: StackResourceView, registry: StackResourceView): boolean {
    const id = str(registry.props.id);
    const scope = str(assignment.props.scope);
    if (id !== undefined && scope !== undefined && scope.toLowerCase() === id.toLowerCase()) return true;
    return (assignment.propertyDependencies.scope ?? []).includes(registry.urn);
}

/** Object ids of the kubelet identities of the stack's clusters, where known. */
export function kubeletObjectIds(resources: readonly StackResourceView[]): string[] {
    return resources
        .filter((r) => r.type === AKS)
        .map((r) => str(at(r.props, "identityProfile.kubeletidentity.objectId")))
        .filter((id): id is string => id !== undefined && id !== "");
}

/** The cluster's kubelet identity may pull from every registry the stack creates. */
export const acrPullForKubelet: StackRule = {
    kind: "stack",
    name: "azure-acr-pull-for-kubelet",
    description:
        "Nodes pull images with the kubelet identity; without AcrPull for it on the registry every pod fails with ImagePullBackOff, and granting the control-plane identity instead is the usual mistake (AKS attach-acr).",
    remediation: `add an azure-native authorization.RoleAssignment with roleDefinitionId .../roleDefinitions/${ACR_PULL_ROLE_ID} (AcrPull), scope: registry.id, principalId: the cluster's identityProfile.kubeletidentity.objectId, principalType: ServicePrincipal`,
    check: (resources) => {
        if (!resources.some((r) => r.type === AKS)) return [];
        const kubelets = kubeletObjectIds(resources);
        const clusterUrns = resources.filter((r) => r.type === AKS).map((r) => r.urn);
        const pulls = resources.filter(
            (r) => r.type === "azure-native:authorization:RoleAssignment" && isAcrPull(str(r.props.roleDefinitionId)),
        );
        return resources
            .filter((r) => r.type === ACR)
            .flatMap((registry): StackFinding[] => {
                const grants = pulls.filter((a) => scopedTo(a, registry));
                if (grants.length === 0)
                    return [{ urn: registry.urn, message: `registry ${registry.name} has no AcrPull role assignment scoped to it` }];
                const toKubelet = grants.some((a) => {
                    const principal = str(a.props.principalId);
                    if (principal !== undefined && kubelets.includes(principal)) return true;
                    return (a.propertyDependencies.principalId ?? []).some((urn) => clusterUrns.includes(urn));
                });
                // When no kubelet object id is known (a preview before the cluster exists) there is nothing to compare with.
                if (toKubelet || kubelets.length === 0) return [];
                return [
                    {
                        urn: registry.urn,
                        message: `AcrPull on registry ${registry.name} is granted to ${grants.map((a) => str(a.props.principalId) ?? "?").join(", ")}, not to a cluster's kubelet identity`,
                    },
                ];
            });
    },
};

/** Azure Cache for Redis resource types (the current token and its older module name). */
export const REDIS_TYPES: readonly string[] = ["azure-native:redis:Redis", "azure-native:cache:Redis"];

/** The plain-text Redis port stays closed. */
export const redisNoNonTlsPort: ResourceRule = {
    kind: "resource",
    name: "azure-redis-no-non-tls-port",
    description: "The non-TLS port (6379) carries the access key and every cached value in clear text (checkov CKV_AZURE_91).",
    remediation: "set enableNonSslPort: false and connect on 6380 with TLS",
    types: REDIS_TYPES,
    check: ({ props }) => (isTrue(props.enableNonSslPort) ? ["the non-TLS port is enabled"] : []),
};

/** Redis accepts TLS 1.2 or newer only. */
export const redisMinTls12: ResourceRule = {
    kind: "resource",
    name: "azure-redis-min-tls-1-2",
    description:
        "TLS 1.0 and 1.1 have known weaknesses and are retired by Azure; pinning the minimum keeps old clients from downgrading the connection (checkov CKV_AZURE_148).",
    remediation: 'set minimumTlsVersion: "1.2"',
    types: REDIS_TYPES,
    check: ({ props }) => {
        const version = str(props.minimumTlsVersion);
        return version === "1.2" || version === "1.3" ? [] : [`minimumTlsVersion is ${version ?? "unset"}`];
    },
};

/** The PostgreSQL Flexible Server is reachable only from the VNet. */
export const postgresNoPublicAccess: ResourceRule = {
    kind: "resource",
    name: "azure-postgres-no-public-access",
    description:
        "A Flexible Server with public access has an internet-resolvable endpoint guarded only by firewall rules and the password; VNet integration keeps it off the internet (checkov CKV2_AZURE_57, CKV_AZURE_68 for Single Server).",
    remediation:
        'set network: { delegatedSubnetResourceId: <data subnet>, privateDnsZoneArmResourceId: <zone>, publicNetworkAccess: "Disabled" }',
    types: ["azure-native:dbforpostgresql:Server"],
    check: ({ props }) => {
        const network = obj(props.network);
        const access = str(network.publicNetworkAccess);
        if (access === "Enabled") return ["publicNetworkAccess is Enabled"];
        if (access === "Disabled" || str(network.delegatedSubnetResourceId) !== undefined) return [];
        return ["public access is not disabled (network.publicNetworkAccess is unset and the server is not VNet-integrated)"];
    },
};

/** Every Azure rule. */
export const AZURE_RULES = [
    aksLocalAccountsOff,
    aksAzureRbac,
    aksAuthorizedIpRanges,
    aksNetworkPolicy,
    aksWorkloadIdentity,
    acrAdminUserOff,
    acrPullForKubelet,
    redisNoNonTlsPort,
    redisMinTls12,
    postgresNoPublicAccess,
] as const;
