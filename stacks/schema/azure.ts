/** `platform:azure`: AKS in a new VNet, ACR, Azure Cache for Redis and PostgreSQL Flexible Server. */
import { z } from "zod";
import { checkClusterSize, clusterSizeShape } from "./clusterSize";
import { cidr, cidrContains, cidrsOverlap, flag, intInRange, kubernetesVersion, oneOf, parseCidr } from "./rules";

/** Azure regions this program is tested against (AKS, Flexible Server and Cache for Redis all offered). */
export const AZURE_LOCATIONS = [
    "australiaeast", "brazilsouth", "canadacentral", "centralindia", "centralus", "eastasia", "eastus", "eastus2",
    "francecentral", "germanywestcentral", "japaneast", "koreacentral", "northeurope", "norwayeast", "southafricanorth",
    "southcentralus", "southeastasia", "swedencentral", "switzerlandnorth", "uaenorth", "uksouth", "westeurope",
    "westus2", "westus3",
] as const;

const vmSize = (example: string) =>
    z.string().regex(/^Standard_[A-Z][A-Za-z0-9]*_v\d+$|^Standard_[A-Z][A-Za-z0-9]*$/, { error: `must be a VM size name such as "${example}"` });

const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

export const azureSchema = z
    .strictObject({
        location: oneOf(AZURE_LOCATIONS),
        kubernetesVersion: kubernetesVersion().default("1.33"),
        vnetCidr: cidr().default("10.20.0.0/16"),
        nodeSubnetCidr: cidr().default("10.20.0.0/20"),
        podSubnetCidr: cidr().default("10.20.16.0/20"),
        dataSubnetCidr: cidr().default("10.20.32.0/24"),
        systemPool: z
            .strictObject({
                vmSize: vmSize("Standard_D2s_v5").default("Standard_D2s_v5"),
                count: intInRange(1, 10).default(1),
            })
            .prefault({}),
        nodeVmSize: vmSize("Standard_D4s_v5").default("Standard_D4s_v5"),
        /** CIDRs allowed to reach the API server. Required: an AKS API open to the world is refused. */
        authorizedIpRanges: z.array(cidr()).min(1, { error: "must list at least one CIDR allowed to reach the API server" }),
        /** Azure AD group object ids that get cluster admin through Azure RBAC. */
        adminGroupObjectIds: z
            .array(z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, { error: "must be an Azure AD object id (a GUID)" }))
            .default([]),
        maintenanceWindow: z
            .strictObject({
                day: oneOf(DAYS).default("Sunday"),
                startHour: intInRange(0, 23).default(2),
                durationHours: intInRange(4, 24).default(4),
            })
            .prefault({}),
        redis: z
            .strictObject({
                sku: oneOf(["Basic", "Standard", "Premium"]).default("Standard"),
                capacity: intInRange(0, 6).default(1),
            })
            .prefault({}),
        postgres: z
            .strictObject({
                skuName: z.string().regex(/^Standard_[A-Z][A-Za-z0-9]*(_v\d+)?$/, { error: 'must be a Flexible Server SKU such as "Standard_B2s"' }).default("Standard_B2s"),
                tier: oneOf(["Burstable", "GeneralPurpose", "MemoryOptimized"]).default("Burstable"),
                version: oneOf(["14", "15", "16", "17"]).default("16"),
                storageSizeGb: intInRange(32, 16384).default(32),
                highAvailability: flag().default(false),
                backupRetentionDays: intInRange(7, 35).default(7),
            })
            .prefault({}),
        ...clusterSizeShape,
    })
    .check(checkClusterSize)
    .check((ctx) => {
        const vnet = parseCidr(ctx.value.vnetCidr);
        const subnets = (["nodeSubnetCidr", "podSubnetCidr", "dataSubnetCidr"] as const).map((key) => ({ key, block: parseCidr(ctx.value[key]) }));
        subnets.forEach(({ key, block }, i) => {
            if (!vnet || !block) return;
            if (!cidrContains(vnet, block)) {
                ctx.issues.push({ code: "custom", path: [key], input: ctx.value[key], message: `must lie inside vnetCidr (${ctx.value.vnetCidr})` });
                return;
            }
            for (const other of subnets.slice(0, i)) {
                if (other.block && cidrsOverlap(other.block, block)) {
                    ctx.issues.push({ code: "custom", path: [key], input: ctx.value[key], message: `must not overlap ${other.key} (${ctx.value[other.key]})` });
                }
            }
        });
    });

export type AzureSettings = z.output<typeof azureSchema>;
