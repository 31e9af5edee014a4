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

/**
 * An Azure VM size name: "Standard_" then the family and size ("D4s"), optional constrained-vCPU
 * ("E4-2ds") and underscore parts ("_v5", "_A100_v4"). Case matters: the API rejects "standard_d4s_v5".
 */
export const VM_SIZE = /^Standard_[A-Z][A-Za-z0-9]*(-[0-9]+[A-Za-z0-9]*)?(_[A-Za-z0-9]+)*$/;

const vmSize = (example: string) => z.string({ error: `must be a VM size name such as "${example}"` }).regex(VM_SIZE, { error: `must be a VM size name such as "${example}"` });

const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

/** The address blocks of the VNet, in the order overlaps are reported. */
export const SUBNET_KEYS = ["nodeSubnetCidr", "podSubnetCidr", "dataSubnetCidr", "endpointSubnetCidr"] as const;

export const azureSchema = z
    .strictObject({
        location: oneOf(AZURE_LOCATIONS),
        kubernetesVersion: kubernetesVersion().default("1.33"),
        /** Control-plane tier: "Standard" carries the uptime SLA; "Free" has none. Default Standard. */
        controlPlaneTier: oneOf(["Free", "Standard", "Premium"]).default("Standard"),
        /** Availability zones the node pools spread over; empty places nodes without zone pinning. Default []. */
        availabilityZones: z.array(oneOf(["1", "2", "3"])).default([]),
        vnetCidr: cidr().default("10.20.0.0/16"),
        nodeSubnetCidr: cidr().default("10.20.0.0/20"),
        /** Pod IPs come from this subnet (Azure CNI with dynamic pod IP allocation). */
        podSubnetCidr: cidr().default("10.20.16.0/20"),
        /** Delegated to PostgreSQL Flexible Server; nothing else may live in it. */
        dataSubnetCidr: cidr().default("10.20.32.0/24"),
        /** Private endpoints (Redis); a delegated subnet cannot hold them. */
        endpointSubnetCidr: cidr().default("10.20.33.0/24"),
        /** Kubernetes service addresses; must lie outside the VNet. The DNS service takes its 10th address. */
        serviceCidr: cidr().default("10.21.0.0/16"),
        /** NetworkPolicy engine: "azure" (Azure NPM) or "cilium" (Azure CNI powered by Cilium). */
        networkPolicy: oneOf(["azure", "cilium"]).default("azure"),
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
        /** Log Analytics retention for container and control-plane logs. Default 30. */
        logRetentionDays: intInRange(30, 730).default(30),
        /** ACR tier. Default Standard. */
        registrySku: oneOf(["Basic", "Standard", "Premium"]).default("Standard"),
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
        const subnets = SUBNET_KEYS.map((key) => ({ key, block: parseCidr(ctx.value[key]) }));
        subnets.forEach(({ key, block }, i) => {
            if (!vnet || !block) return;
            if (!cidrContains(vnet, block)) {
                ctx.issues.push({ code: "custom", path: [key], input: ctx.value[key], message: `must lie inside vnetCidr (${ctx.value.vnetCidr})` });
                return;
            }
            for (const other of subnets.slice(0, i)) {
                if (other.block && cidrsOverlap(other.block, block)) {
                    ctx.issues.push({ code: "custom", path: [key], input: ctx.value[key], message: `must not overlap ${other.key} (${ctx.value[other.key]}); pick a free block inside vnetCidr (${ctx.value.vnetCidr})` });
                }
            }
        });
        const services = parseCidr(ctx.value.serviceCidr);
        if (vnet && services && cidrsOverlap(vnet, services)) {
            ctx.issues.push({ code: "custom", path: ["serviceCidr"], input: ctx.value.serviceCidr, message: `must not overlap vnetCidr (${ctx.value.vnetCidr}); service addresses are virtual and must lie outside the VNet` });
        }
        if (services && services.prefix > 28) {
            ctx.issues.push({ code: "custom", path: ["serviceCidr"], input: ctx.value.serviceCidr, message: "must be a block of at least 16 addresses (prefix /28 or shorter)" });
        }
    })
    .check((ctx) => {
        const { redis, postgres } = ctx.value;
        if (redis.sku === "Premium" && (redis.capacity < 1 || redis.capacity > 5)) {
            ctx.issues.push({ code: "custom", path: ["redis", "capacity"], input: redis.capacity, message: "must be an integer from 1 to 5 for sku Premium (P1-P5)" });
        }
        const burstableSku = postgres.skuName.startsWith("Standard_B");
        if (postgres.tier === "Burstable" && !burstableSku) {
            ctx.issues.push({ code: "custom", path: ["postgres", "skuName"], input: postgres.skuName, message: 'must be a B-series SKU such as "Standard_B2s" for tier Burstable, or set postgres.tier to GeneralPurpose or MemoryOptimized' });
        } else if (postgres.tier !== "Burstable" && burstableSku) {
            ctx.issues.push({ code: "custom", path: ["postgres", "skuName"], input: postgres.skuName, message: `is a Burstable SKU; use one such as "Standard_D2ds_v5" for tier ${postgres.tier}, or set postgres.tier to Burstable` });
        }
        if (postgres.highAvailability && postgres.tier === "Burstable") {
            ctx.issues.push({ code: "custom", path: ["postgres", "highAvailability"], input: true, message: "needs postgres.tier GeneralPurpose or MemoryOptimized (zone-redundant HA is not offered on Burstable)" });
        }
    });

export type AzureSettings = z.output<typeof azureSchema>;
