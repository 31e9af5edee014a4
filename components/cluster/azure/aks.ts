/**
 * The AKS cluster: a user-assigned control-plane identity, the managed cluster with its inline
 * system pool, the separate user pool, maintenance windows, and the role assignments AKS and
 * the deploying identity need.
 */
import * as authorization from "@pulumi/azure-native/authorization";
import * as containerservice from "@pulumi/azure-native/containerservice";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import { parseCidr } from "../../../model/network";
import { monitoringAddon } from "./monitoring";
import { CLUSTER_COUNT_IGNORE, POOL_COUNT_IGNORE, PoolSubnets, systemPoolProfile, userPoolProperties } from "./pools";
import { BUILT_IN_ROLES, roleDefinitionId } from "./roles";
import type { AzureSettings } from "../../../model/targets";

/** AKS maintenance configurations (names AKS fixes): Kubernetes patch upgrades and node image updates. */
export const MAINTENANCE_CONFIG_NAMES = { upgrade: "aksManagedAutoUpgradeSchedule", "node-os": "aksManagedNodeOSUpgradeSchedule" } as const;

/** DNS prefix of the API server: "platform-<stack>", lowercase, at most 54 characters. */
export function dnsPrefix(stack: string): string {
    const cleaned = `platform-${stack}`
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, "-")
        .slice(0, 54);
    return cleaned.replace(/-+$/, "");
}

/** The cluster DNS service address: the 10th address of the service range (AKS's own convention). */
export function dnsServiceIp(serviceCidr: string): string {
    const block = parseCidr(serviceCidr);
    if (!block || block.prefix > 28) throw new Error(`dnsServiceIp: ${serviceCidr} is not a block of at least 16 addresses`);
    const address = block.base + 10;
    return [24, 16, 8, 0].map((shift) => (address >>> shift) & 255).join(".");
}

type NetworkSettings = Pick<AzureSettings, "networkPolicy" | "serviceCidr">;

/** Azure CNI with pods in their own subnet, a NetworkPolicy engine always on, a standard load balancer. */
export function networkProfile(settings: NetworkSettings) {
    return {
        networkPlugin: "azure",
        networkPolicy: settings.networkPolicy,
        // Cilium policy needs the Cilium data plane; Azure NPM runs on the default one.
        networkDataplane: settings.networkPolicy === "cilium" ? "cilium" : undefined,
        loadBalancerSku: "standard",
        outboundType: "loadBalancer",
        serviceCidr: settings.serviceCidr,
        dnsServiceIP: dnsServiceIp(settings.serviceCidr),
    };
}

/** Azure AD integration: AKS-managed, Kubernetes authorization through Azure RBAC, admins from config. */
export function aadProfile(adminGroupObjectIds: readonly string[]) {
    return { managed: true, enableAzureRBAC: true, adminGroupObjectIDs: [...adminGroupObjectIds] };
}

/** A weekly maintenance window in UTC. */
export function maintenanceWindow(window: AzureSettings["maintenanceWindow"]) {
    return {
        schedule: { weekly: { dayOfWeek: window.day, intervalWeeks: 1 } },
        durationHours: window.durationHours,
        startTime: `${String(window.startHour).padStart(2, "0")}:00`,
        utcOffset: "+00:00",
    };
}

/**
 * AKS's workload autoscalers: the managed Vertical Pod Autoscaler (its CRDs, recommender,
 * updater and admission controller, run and upgraded by AKS) when a service asks for
 * recommendations, explicitly off otherwise. KEDA stays off. metrics-server is built into AKS.
 */
export function workloadAutoScalerProfile(vpa: boolean) {
    return { verticalPodAutoscaler: { enabled: vpa } };
}

/** Arguments of {@link AzureAks}. */
export interface AzureAksArgs {
    readonly settings: AzureSettings;
    readonly stack: string;
    readonly resourceGroupName: pulumi.Input<string>;
    readonly vnetId: pulumi.Input<string>;
    readonly subnets: PoolSubnets;
    readonly workspaceId: pulumi.Input<string>;
    /** Subscription and object id of the deploying identity (authorization.getClientConfig). */
    readonly client: pulumi.Output<{ readonly subscriptionId: string; readonly objectId: string }>;
    /** Whether the managed VPA runs (a service has a VerticalPodAutoscaler). */
    readonly vpa: boolean;
}

/** The managed cluster and what belongs to it. */
export class AzureAks extends pulumi.ComponentResource {
    /** The managed cluster (its name is the clusterName output; identityProfile carries the kubelet identity). */
    public readonly cluster: containerservice.ManagedCluster;
    /** The autoscaled user pool the app runs on; workloads wait for it. */
    public readonly userPool: containerservice.AgentPool;
    /** Grants the deploying identity cluster admin through Azure RBAC (it deploys the app). */
    public readonly deployerAccess: authorization.RoleAssignment;

    constructor(name: string, args: AzureAksArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:AzureAks", name, {}, opts);
        const { settings } = args;
        const role = (id: string) => args.client.apply((c) => roleDefinitionId(c.subscriptionId, id));

        const identity = new managedidentity.UserAssignedIdentity(
            `${name}-identity`,
            { resourceGroupName: args.resourceGroupName },
            { parent: this },
        );
        const networkAccess = new authorization.RoleAssignment(
            `${name}-network-contributor`,
            {
                principalId: identity.principalId,
                principalType: "ServicePrincipal",
                roleDefinitionId: role(BUILT_IN_ROLES.networkContributor),
                scope: args.vnetId,
            },
            { parent: this },
        );
        this.cluster = new containerservice.ManagedCluster(
            `${name}-cluster`,
            {
                resourceGroupName: args.resourceGroupName,
                kubernetesVersion: settings.kubernetesVersion,
                dnsPrefix: dnsPrefix(args.stack),
                sku: { name: "Base", tier: settings.controlPlaneTier },
                identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
                agentPoolProfiles: [systemPoolProfile(settings, args.subnets)],
                enableRBAC: true,
                aadProfile: aadProfile(settings.adminGroupObjectIds),
                disableLocalAccounts: true,
                oidcIssuerProfile: { enabled: true },
                securityProfile: { workloadIdentity: { enabled: true } },
                networkProfile: networkProfile(settings),
                apiServerAccessProfile: { authorizedIPRanges: [...settings.authorizedIpRanges] },
                autoUpgradeProfile: { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" },
                workloadAutoScalerProfile: workloadAutoScalerProfile(args.vpa),
                addonProfiles: {
                    omsagent: monitoringAddon(args.workspaceId),
                    azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: "true", rotationPollInterval: "2m" } },
                },
            },
            // AKS joins the subnets with the control-plane identity: its role must exist first.
            { parent: this, dependsOn: [networkAccess], ignoreChanges: [...CLUSTER_COUNT_IGNORE] },
        );
        this.userPool = new containerservice.AgentPool(
            `${name}-user-pool`,
            { resourceGroupName: args.resourceGroupName, resourceName: this.cluster.name, ...userPoolProperties(settings, args.subnets) },
            { parent: this, ignoreChanges: [...POOL_COUNT_IGNORE] },
        );
        for (const [role, configName] of Object.entries(MAINTENANCE_CONFIG_NAMES)) {
            new containerservice.MaintenanceConfiguration(
                `${name}-maintenance-${role}`,
                {
                    resourceGroupName: args.resourceGroupName,
                    resourceName: this.cluster.name,
                    configName,
                    maintenanceWindow: maintenanceWindow(settings.maintenanceWindow),
                },
                { parent: this },
            );
        }
        this.deployerAccess = new authorization.RoleAssignment(
            `${name}-deployer-admin`,
            {
                principalId: args.client.apply((c) => c.objectId),
                roleDefinitionId: role(BUILT_IN_ROLES.aksRbacClusterAdmin),
                scope: this.cluster.id,
            },
            { parent: this },
        );
        this.registerOutputs({ clusterName: this.cluster.name });
    }
}
