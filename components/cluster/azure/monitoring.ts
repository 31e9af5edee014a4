/**
 * Monitoring of the cluster: a Log Analytics workspace, Container Insights (the monitoring
 * add-on with its data collection rule) and control-plane logs.
 */
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as pulumi from "@pulumi/pulumi";

/** The stream Container Insights writes; the add-on with Azure AD auth sends nothing without a rule for it. */
export const CONTAINER_INSIGHTS_STREAM = "Microsoft-ContainerInsights-Group-Default";

/**
 * Control-plane log categories sent to the workspace: API audit without read-only calls (the
 * cheaper kube-audit-admin), and the Azure AD authentication webhook (guard).
 */
export const CONTROL_PLANE_LOG_CATEGORIES = ["kube-audit-admin", "guard"] as const;

/** The `omsagent` add-on profile: Container Insights into `workspaceId`, authenticating with its managed identity. */
export function monitoringAddon(workspaceId: pulumi.Input<string>) {
    return { enabled: true, config: { logAnalyticsWorkspaceResourceID: workspaceId, useAADAuth: "true" } };
}

/** Arguments of {@link AzureMonitoring}. */
export interface AzureMonitoringArgs {
    readonly resourceGroupName: pulumi.Input<string>;
    readonly retentionDays: number;
}

/** The Log Analytics workspace logs and metrics go to. */
export class AzureMonitoring extends pulumi.ComponentResource {
    /** Resource id of the workspace (the monitoring add-on and control-plane logs write to it). */
    public readonly workspaceId: pulumi.Output<string>;

    constructor(name: string, args: AzureMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:AzureMonitoring", name, {}, opts);
        const workspace = new operationalinsights.Workspace(
            `${name}-logs`,
            { resourceGroupName: args.resourceGroupName, sku: { name: "PerGB2018" }, retentionInDays: args.retentionDays },
            { parent: this },
        );
        this.workspaceId = workspace.id;
        this.registerOutputs({ workspaceId: this.workspaceId });
    }
}

/** Arguments of {@link AzureClusterInsights}. */
export interface AzureClusterInsightsArgs {
    readonly resourceGroupName: pulumi.Input<string>;
    readonly workspaceId: pulumi.Input<string>;
    readonly clusterId: pulumi.Input<string>;
}

/** What flows from the cluster into the workspace once the cluster exists. */
export class AzureClusterInsights extends pulumi.ComponentResource {
    constructor(name: string, args: AzureClusterInsightsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:AzureClusterInsights", name, {}, opts);
        const rule = new monitor.DataCollectionRule(
            `${name}-dcr`,
            {
                resourceGroupName: args.resourceGroupName,
                kind: "Linux",
                dataSources: {
                    extensions: [
                        { name: "ContainerInsightsExtension", extensionName: "ContainerInsights", streams: [CONTAINER_INSIGHTS_STREAM] },
                    ],
                },
                destinations: { logAnalytics: [{ name: "workspace", workspaceResourceId: args.workspaceId }] },
                dataFlows: [{ streams: [CONTAINER_INSIGHTS_STREAM], destinations: ["workspace"] }],
            },
            { parent: this },
        );
        new monitor.DataCollectionRuleAssociation(
            `${name}-dcra`,
            { associationName: "ContainerInsightsExtension", resourceUri: args.clusterId, dataCollectionRuleId: rule.id },
            { parent: this },
        );
        new monitor.DiagnosticSetting(
            `${name}-control-plane`,
            {
                resourceUri: args.clusterId,
                workspaceId: args.workspaceId,
                logAnalyticsDestinationType: "Dedicated",
                logs: CONTROL_PLANE_LOG_CATEGORIES.map((category) => ({ category, enabled: true })),
            },
            { parent: this },
        );
        this.registerOutputs({});
    }
}
