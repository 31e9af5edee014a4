/**
 * checkov's Azure (AKS, ACR, Cache for Redis, PostgreSQL) checks for the resource types this program creates, as
 * `checkov --list --framework terraform` prints them for 3.3.30. checkov scans Terraform,
 * CloudFormation, ARM and Bicep, not Pulumi programs, so the pack's rules stand in for them: they
 * read the same settings on the resources the program registers.
 */
import { covered, notApplicable, notEnforced, Scanner } from "./matrix";

const SINGLE_SERVER = "checks the Single Server (azurerm_postgresql_server), retired by Azure; the program deploys PostgreSQL Flexible Server";

/** The checks and the pack's answers. */
export const CHECKOV_AZURE: Scanner = {
    id: "checkov-azure",
    name: "checkov Azure (AKS, ACR, Cache for Redis, PostgreSQL) checks",
    source: "checkov 3.3.30 (checkov --list --framework terraform; bridgecrewio/checkov checkov/terraform/checks)",
    entries: [
        covered("CKV_AZURE_137", "Ensure ACR admin account is disabled", ["azure-acr-admin-user-off"], undefined, "ACR"),
        covered("CKV_AZURE_138", "Ensures that ACR disables anonymous pulling of images", ["azure-acr-no-anonymous-pull"], undefined, "ACR"),
        notEnforced("CKV_AZURE_139", "Ensure ACR set to disable public networking", "nodes pull over the registry's public endpoint (guarded by Entra ID and AcrPull); a private registry needs the Premium SKU and a private endpoint", "ACR"),
        notEnforced("CKV_AZURE_163", "Enable vulnerability scanning for container images.", "vulnerability scanning of ACR images is Microsoft Defender for Containers, a subscription-level plan outside the program", "ACR"),
        notEnforced("CKV_AZURE_164", "Ensures that ACR uses signed/trusted images", "content trust needs the Premium SKU; images are deployed by digest instead (k8s-image-pinned-by-digest)", "ACR"),
        notEnforced("CKV_AZURE_165", "Ensure geo-replicated container registries to match multi-region container deployments.", "geo-replication needs the Premium SKU and serves multi-region deployments; each stack runs in one region", "ACR"),
        notEnforced("CKV_AZURE_166", "Ensure container image quarantine, scan, and mark images verified", "quarantine needs the Premium SKU and a scanner that releases images", "ACR"),
        notEnforced("CKV_AZURE_167", "Ensure a retention policy is set to cleanup untagged manifests.", "the retention policy for untagged manifests needs the Premium SKU; not configured", "ACR"),
        notEnforced("CKV_AZURE_233", "Ensure Azure Container Registry (ACR) is zone redundant", "zone redundancy needs the Premium SKU; not configured", "ACR"),
        notEnforced("CKV_AZURE_237", "Ensure dedicated data endpoints are enabled.", "dedicated data endpoints need the Premium SKU; not configured", "ACR"),
        covered("CKV2_AZURE_29", "Ensure AKS cluster has Azure CNI networking enabled", ["azure-aks-azure-cni"], undefined, "AKS"),
        covered("CKV_AZURE_4", "Ensure AKS logging to Azure Monitoring is Configured", ["azure-aks-monitoring"], undefined, "AKS"),
        covered("CKV_AZURE_5", "Ensure RBAC is enabled on AKS clusters", ["azure-aks-azure-rbac"], undefined, "AKS"),
        covered("CKV_AZURE_6", "Ensure AKS has an API Server Authorized IP Ranges enabled", ["azure-aks-authorized-ip-ranges"], undefined, "AKS"),
        covered("CKV_AZURE_7", "Ensure AKS cluster has Network Policy configured", ["azure-aks-network-policy"], undefined, "AKS"),
        notApplicable("CKV_AZURE_8", "Ensure Kubernetes Dashboard is disabled", "the Kubernetes dashboard add-on was removed from AKS for Kubernetes 1.19 and later; the config accepts 1.28 and later", "AKS"),
        covered("CKV_AZURE_115", "Ensure that AKS enables private clusters", ["azure-aks-authorized-ip-ranges"], "the rule accepts a private cluster or authorized IP ranges; the program uses ranges so that pulumi up can run from outside the VNet", "AKS"),
        notEnforced("CKV_AZURE_116", "Ensure that AKS uses Azure Policies Add-on", "Pod Security admission (restricted, enforced per namespace) and this pack do the Azure Policy add-on's job; the add-on is not enabled", "AKS"),
        notEnforced("CKV_AZURE_117", "Ensure that AKS uses disk encryption set", "OS and data disks use platform-managed keys; a disk encryption set with a customer key is not configured", "AKS"),
        covered("CKV_AZURE_141", "Ensure AKS local admin account is disabled", ["azure-aks-local-accounts-off"], undefined, "AKS"),
        covered("CKV_AZURE_143", "Ensure AKS cluster nodes do not have public IP addresses", ["azure-aks-nodes-no-public-ip"], undefined, "AKS"),
        notEnforced("CKV_AZURE_168", "Ensure Azure Kubernetes Cluster (AKS) nodes should use a minimum number of 50 pods.", "a capacity setting, not a control: maxPods is left to the AKS default for Azure CNI with a pod subnet", "AKS"),
        covered("CKV_AZURE_169", "Ensure Azure Kubernetes Cluster (AKS) nodes use scale sets", ["azure-aks-scale-sets"], undefined, "AKS"),
        notEnforced("CKV_AZURE_170", "Ensure that AKS use the Paid Sku for its SLA", "a per-environment choice: platform:azure.controlPlaneTier (Standard, with the uptime SLA, in prod; Free is allowed elsewhere)", "AKS"),
        covered("CKV_AZURE_171", "Ensure AKS cluster upgrade channel is chosen", ["azure-aks-auto-upgrade"], undefined, "AKS"),
        covered("CKV_AZURE_172", "Ensure autorotation of Secrets Store CSI Driver secrets for AKS clusters", ["azure-aks-secret-rotation"], undefined, "AKS"),
        notEnforced("CKV_AZURE_226", "Ensure ephemeral disks are used for OS disks", "ephemeral OS disks depend on the VM size's cache; the program uses managed OS disks", "AKS"),
        notEnforced("CKV_AZURE_227", "Ensure that the AKS cluster encrypt temp disks, caches, and data flows between Compute and Storage resources", "encryption at host needs the subscription feature EncryptionAtHost registered; not enabled by the program", "AKS"),
        covered("CKV_AZURE_232", "Ensure that only critical system pods run on system nodes", ["azure-aks-system-pool-critical-only"], undefined, "AKS"),
        covered("CKV_AZURE_246", "Ensure Azure AKS cluster HTTP application routing is disabled", ["azure-aks-no-http-application-routing"], undefined, "AKS"),
        notApplicable("CKV_AZURE_30", "Ensure server parameter 'log_checkpoints' is set to 'ON' for PostgreSQL Database Server", SINGLE_SERVER, "PostgreSQL"),
        notApplicable("CKV_AZURE_31", "Ensure server parameter 'log_connections' is set to 'ON' for PostgreSQL Database Server", SINGLE_SERVER, "PostgreSQL"),
        notApplicable("CKV_AZURE_32", "Ensure server parameter 'connection_throttling' is set to 'ON' for PostgreSQL Database Server", SINGLE_SERVER, "PostgreSQL"),
        notApplicable("CKV_AZURE_146", "Ensure server parameter 'log_retention' is set to 'ON' for PostgreSQL Database Server", SINGLE_SERVER, "PostgreSQL"),
        covered("CKV2_AZURE_57", "Ensure PostgreSQL Flexible Server is configured with private endpoint", ["azure-postgres-no-public-access"], "the server is VNet-integrated (a delegated subnet and a private DNS zone, public access Disabled), the Flexible Server alternative to a private endpoint", "PostgreSQL"),
        notEnforced("CKV_AZURE_136", "Ensure that PostgreSQL Flexible server enables geo-redundant backups", "geo-redundant backup doubles the backup cost; the program sets it Disabled and does not make it configurable yet", "PostgreSQL"),
        notApplicable("CKV2_AZURE_17", "Ensure that PostgreSQL server enables customer-managed key for encryption", SINGLE_SERVER, "PostgreSQL"),
        notApplicable("CKV2_AZURE_42", "Ensure Azure PostgreSQL server is configured with private endpoint", SINGLE_SERVER, "PostgreSQL"),
        notApplicable("CKV_AZURE_29", "Ensure 'Enforce SSL connection' is set to 'ENABLED' for PostgreSQL Database Server", SINGLE_SERVER, "PostgreSQL"),
        notApplicable("CKV_AZURE_68", "Ensure that PostgreSQL server disables public network access", SINGLE_SERVER, "PostgreSQL"),
        notApplicable("CKV_AZURE_102", "Ensure that PostgreSQL server enables geo-redundant backups", SINGLE_SERVER, "PostgreSQL"),
        notApplicable("CKV_AZURE_128", "Ensure that PostgreSQL server enables Threat detection policy", SINGLE_SERVER, "PostgreSQL"),
        notApplicable("CKV_AZURE_130", "Ensure that PostgreSQL server enables infrastructure encryption", SINGLE_SERVER, "PostgreSQL"),
        notApplicable("CKV_AZURE_147", "Ensure PostgreSQL is using the latest version of TLS encryption", SINGLE_SERVER, "PostgreSQL"),
        covered("CKV_AZURE_89", "Ensure that Azure Cache for Redis disables public network access", ["azure-redis-no-public-network"], undefined, "Redis"),
        covered("CKV_AZURE_91", "Ensure that only SSL are enabled for Cache for Redis", ["azure-redis-no-non-tls-port"], undefined, "Redis"),
        covered("CKV_AZURE_148", "Ensure Redis Cache is using the latest version of TLS encryption", ["azure-redis-min-tls-1-2"], undefined, "Redis"),
        notEnforced("CKV_AZURE_230", "Standard Replication should be enabled", "a per-environment choice: platform:azure.redis.sku (Standard, replicated, in prod)", "Redis"),
    ],
};
