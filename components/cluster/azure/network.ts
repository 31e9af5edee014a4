/**
 * The Azure network of a cluster: a resource group, a VNet and four subnets (nodes, pods,
 * PostgreSQL, private endpoints), with the address ranges config validated.
 */
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import type { AzureSettings } from "../../../model/targets";

/** The address ranges of the network, as config gives them. */
export type NetworkRanges = Pick<AzureSettings, "vnetCidr" | "nodeSubnetCidr" | "podSubnetCidr" | "dataSubnetCidr" | "endpointSubnetCidr">;

/** Roles of the subnets, in creation order. */
export const SUBNET_ROLES = ["nodes", "pods", "data", "endpoints"] as const;
/** One of {@link SUBNET_ROLES}. */
export type SubnetRole = (typeof SUBNET_ROLES)[number];

/** What a subnet is made of: its range and the service it is delegated to, if any. */
export interface SubnetPlan {
    readonly role: SubnetRole;
    readonly cidr: string;
    /** Azure service the subnet is handed to; undefined keeps it for general use. */
    readonly delegation?: string;
}

/** The subnets of the network. The pod subnet is delegated as AKS itself would, so `pulumi up` sees no drift. */
export function subnetPlans(ranges: NetworkRanges): readonly SubnetPlan[] {
    return [
        { role: "nodes", cidr: ranges.nodeSubnetCidr },
        { role: "pods", cidr: ranges.podSubnetCidr, delegation: "Microsoft.ContainerService/managedClusters" },
        { role: "data", cidr: ranges.dataSubnetCidr, delegation: "Microsoft.DBforPostgreSQL/flexibleServers" },
        { role: "endpoints", cidr: ranges.endpointSubnetCidr },
    ];
}

/** Arguments of {@link AzureNetwork}. */
export interface AzureNetworkArgs {
    readonly ranges: NetworkRanges;
}

/** Resource group, VNet and subnets. */
export class AzureNetwork extends pulumi.ComponentResource {
    /** Name of the resource group every Azure resource of the stack lives in. */
    public readonly resourceGroupName: pulumi.Output<string>;
    /** Resource id of that group (seed of the registry name). */
    public readonly resourceGroupId: pulumi.Output<string>;
    /** Resource id of the VNet. */
    public readonly vnetId: pulumi.Output<string>;
    /** Subnet id by role. */
    public readonly subnetIds: Readonly<Record<SubnetRole, pulumi.Output<string>>>;

    constructor(name: string, args: AzureNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:AzureNetwork", name, {}, opts);
        const group = new resources.ResourceGroup(`${name}-rg`, {}, { parent: this });
        const vnet = new network.VirtualNetwork(
            `${name}-vnet`,
            {
                resourceGroupName: group.name,
                addressSpace: { addressPrefixes: [args.ranges.vnetCidr] },
            },
            // Subnets are separate resources; declaring none here keeps the VNet from claiming them.
            { parent: this, ignoreChanges: ["subnets"] },
        );
        const ids: Partial<Record<SubnetRole, pulumi.Output<string>>> = {};
        let previous: network.Subnet | undefined;
        for (const plan of subnetPlans(args.ranges)) {
            const subnet: network.Subnet = new network.Subnet(
                `${name}-${plan.role}`,
                {
                    resourceGroupName: group.name,
                    virtualNetworkName: vnet.name,
                    addressPrefix: plan.cidr,
                    delegations: plan.delegation === undefined ? undefined : [{ name: plan.role, serviceName: plan.delegation }],
                    privateEndpointNetworkPolicies: plan.role === "endpoints" ? "Disabled" : undefined,
                },
                // Azure rejects concurrent writes to one VNet ("AnotherOperationInProgress"): one subnet at a time.
                { parent: this, dependsOn: previous ? [previous] : [] },
            );
            ids[plan.role] = subnet.id;
            previous = subnet;
        }
        this.resourceGroupName = group.name;
        this.resourceGroupId = group.id;
        this.vnetId = vnet.id;
        this.subnetIds = {
            nodes: required(ids.nodes),
            pods: required(ids.pods),
            data: required(ids.data),
            endpoints: required(ids.endpoints),
        };
        this.registerOutputs({ resourceGroupName: this.resourceGroupName, vnetId: this.vnetId });
    }
}

function required<T>(value: T | undefined): T {
    if (value === undefined) throw new Error("AzureNetwork: a subnet role has no plan");
    return value;
}
