/**
 * The `azure` target: AKS in a new VNet, ACR with identity-based pull, Azure Cache for Redis
 * and PostgreSQL Flexible Server on private addresses, all through one explicit azure-native
 * provider (the stack file disables the default one).
 */
import * as authorization from "@pulumi/azure-native/authorization";
import { Provider } from "@pulumi/azure-native/provider";
import { Provider as K8sProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesPlatform, WayIn } from "../platform";
import { AzureAks } from "./aks";
import { AzureData } from "./data";
import { clusterUserKubeconfig } from "./kubeconfig";
import { AzureClusterInsights, AzureMonitoring } from "./monitoring";
import { AzureNetwork } from "./network";
import { AzureRegistry } from "./registry";
import type { AzureSettings } from "../../../model/targets";

/** Annotation that keeps an Azure load balancer on a private address in the VNet. */
export const INTERNAL_LB_ANNOTATION = "service.beta.kubernetes.io/azure-load-balancer-internal";

/**
 * How traffic gets in: an Azure load balancer (it reports an ip). With no allowed source
 * ranges it stays internal, as the seam promises; otherwise it is public and limited to them.
 */
export function azureWayIn(allowedSourceRanges: readonly string[]): WayIn {
    return {
        kind: "loadBalancer",
        address: "ip",
        annotations: allowedSourceRanges.length === 0 ? { [INTERNAL_LB_ANNOTATION]: "true" } : {},
        sourceRanges: [...allowedSourceRanges],
    };
}

/** Arguments of {@link AzureCluster}. */
export interface AzureClusterArgs {
    readonly target: AzureSettings;
    /** Stack name, for the API server's DNS prefix. */
    readonly stack: string;
    /** app.allowedSourceRanges: who may reach public services. */
    readonly allowedSourceRanges: readonly string[];
    /** Every image the stack builds, one repository each. */
    readonly imageNames: readonly string[];
    /** Database the app uses in the managed PostgreSQL. */
    readonly database: string;
    /** Whether any service has a VerticalPodAutoscaler (app.vpa not off): then AKS runs its managed VPA. */
    readonly vpa: boolean;
}

/** AKS, ACR and managed data behind the platform seam. */
export class AzureCluster extends pulumi.ComponentResource {
    /** What the rest of the program builds on. */
    public readonly platform: KubernetesPlatform;

    constructor(name: string, args: AzureClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:AzureCluster", name, {}, opts);
        const { target } = args;
        const provider = new Provider(`${name}-provider`, { location: target.location }, { parent: this });
        const child = { parent: this, providers: [provider] };
        const client = authorization.getClientConfigOutput({ parent: this, provider });

        const net = new AzureNetwork(`${name}-network`, { ranges: target }, child);
        const logs = new AzureMonitoring(
            `${name}-monitoring`,
            { resourceGroupName: net.resourceGroupName, retentionDays: target.logRetentionDays },
            child,
        );
        const aks = new AzureAks(
            `${name}-aks`,
            {
                settings: target,
                stack: args.stack,
                resourceGroupName: net.resourceGroupName,
                vnetId: net.vnetId,
                subnets: { nodes: net.subnetIds.nodes, pods: net.subnetIds.pods },
                workspaceId: logs.workspaceId,
                client,
                vpa: args.vpa,
            },
            child,
        );
        new AzureClusterInsights(
            `${name}-insights`,
            { resourceGroupName: net.resourceGroupName, workspaceId: logs.workspaceId, clusterId: aks.cluster.id },
            child,
        );
        const registry = new AzureRegistry(
            `${name}-registry`,
            {
                stack: args.stack,
                resourceGroupName: net.resourceGroupName,
                resourceGroupId: net.resourceGroupId,
                sku: target.registrySku,
                subscriptionId: client.subscriptionId,
                kubeletIdentity: aks.cluster.identityProfile,
                imageNames: args.imageNames,
            },
            child,
        );
        const data = new AzureData(
            `${name}-data`,
            {
                resourceGroupName: net.resourceGroupName,
                vnetId: net.vnetId,
                dataSubnetId: net.subnetIds.data,
                endpointSubnetId: net.subnetIds.endpoints,
                ranges: target,
                redis: target.redis,
                postgres: target.postgres,
                database: args.database,
            },
            child,
        );

        const kubeconfig = clusterUserKubeconfig(net.resourceGroupName, aks.cluster.name, { parent: this, provider });
        const k8sProvider = new K8sProvider(
            `${name}-k8s`,
            {
                kubeconfig,
                // Fails loudly instead of writing into whatever namespace a kubeconfig defaults to.
                namespace: "default",
            },
            { parent: this },
        );
        this.platform = {
            kind: "kubernetes",
            cloud: "azure",
            provider: k8sProvider,
            kubeconfig,
            clusterName: aks.cluster.name,
            // No push credentials: the image build uses the host's Docker login, which `az acr login`
            // fills with a short-lived token for the deploying identity (docs/azure.md explains why).
            registry: { url: registry.loginServer, repositories: registry.repositories },
            wayIn: azureWayIn(args.allowedSourceRanges),
            managedData: data.endpoints,
            workloadDependencies: [aks.userPool, aks.deployerAccess, registry.pullGrant],
        };
        this.registerOutputs({ clusterName: this.platform.clusterName, registryUrl: registry.loginServer });
    }
}
