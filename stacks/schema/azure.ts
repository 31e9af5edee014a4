/** `platform:azure`: AKS in a new VNet, ACR, Azure Cache for Redis and PostgreSQL Flexible Server. */
import { z } from "zod";
import { GUID, isPlaceholderGuid } from "../../model/identifiers";
import { checkClusterSize, clusterSizeShape } from "./clusterSize";
import { cidrContains, cidrsOverlap, parseCidr } from "../../model/network";
import { cidr, clientCidrList, flag, intInRange, kubernetesVersion, oneOf } from "./rules";

/** Azure regions this program is tested against (AKS, Flexible Server and Cache for Redis all offered). */
export const AZURE_LOCATIONS = [
    "australiaeast",
    "brazilsouth",
    "canadacentral",
    "centralindia",
    "centralus",
    "eastasia",
    "eastus",
    "eastus2",
    "francecentral",
    "germanywestcentral",
    "japaneast",
    "koreacentral",
    "northeurope",
    "norwayeast",
    "southafricanorth",
    "southcentralus",
    "southeastasia",
    "swedencentral",
    "switzerlandnorth",
    "uaenorth",
    "uksouth",
    "westeurope",
    "westus2",
    "westus3",
] as const;

/**
 * An Azure VM size name: "Standard_" then the family and size ("D4s"), optional constrained-vCPU
 * ("E4-2ds") and underscore parts ("_v5", "_A100_v4"). Case matters: the API rejects "standard_d4s_v5".
 */
export const VM_SIZE = /^Standard_[A-Z][A-Za-z0-9]*(-[0-9]+[A-Za-z0-9]*)?(_[A-Za-z0-9]+)*$/;

const vmSize = (example: string) =>
    z
        .string({ error: `must be a VM size name such as "${example}"` })
        .regex(VM_SIZE, { error: `must be a VM size name such as "${example}"` });

const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

/** The address blocks of the VNet, in the order overlaps are reported. */
export const SUBNET_KEYS = ["nodeSubnetCidr", "podSubnetCidr", "dataSubnetCidr", "endpointSubnetCidr"] as const;

export const azureSchema = z
    .strictObject({
        location: oneOf(AZURE_LOCATIONS).describe(
            "Region of every resource, among those where AKS, Flexible Server and Cache for Redis are all offered.",
        ),
        kubernetesVersion: kubernetesVersion()
            .default("1.33")
            .describe("Control plane and node pool version; patches are applied automatically in the maintenance window."),
        controlPlaneTier: oneOf(["Free", "Standard", "Premium"])
            .default("Standard")
            .describe("AKS tier: Standard carries the uptime SLA, Free has none (fine outside production)."),
        availabilityZones: z
            .array(oneOf(["1", "2", "3"]))
            .default([])
            .describe("Zones both node pools spread over; empty places nodes without zone pinning (for regions without zones)."),
        vnetCidr: cidr().default("10.20.0.0/16").describe("Address space of the VNet."),
        nodeSubnetCidr: cidr()
            .default("10.20.0.0/20")
            .describe("Node addresses and internal load balancers; inside vnetCidr, overlapping no other subnet."),
        podSubnetCidr: cidr()
            .default("10.20.16.0/20")
            .describe(
                "Pod addresses (Azure CNI with dynamic allocation; each node reserves a block); inside vnetCidr, overlapping no other subnet.",
            ),
        dataSubnetCidr: cidr()
            .default("10.20.32.0/24")
            .describe(
                "Subnet delegated to PostgreSQL Flexible Server, so nothing else may use it; the app's egress NetworkPolicy opens port 5432 to it.",
            ),
        endpointSubnetCidr: cidr()
            .default("10.20.33.0/24")
            .describe(
                "Private endpoints (Redis), which a delegated subnet cannot hold; the app's egress NetworkPolicy opens port 6380 to it.",
            ),
        serviceCidr: cidr()
            .default("10.21.0.0/16")
            .describe(
                "Kubernetes service addresses, which are virtual and must lie outside vnetCidr; the cluster DNS service takes the 10th address.",
            ),
        networkPolicy: oneOf(["azure", "cilium"])
            .default("azure")
            .describe(
                "NetworkPolicy engine, always on: azure is Azure NPM, cilium also selects the Cilium data plane (AKS does not support every change of it on a live cluster).",
            ),
        systemPool: z
            .strictObject({
                vmSize: vmSize("Standard_D2s_v5")
                    .default("Standard_D2s_v5")
                    .describe("Size of the system pool nodes (case-sensitive VM size name)."),
                count: intInRange(1, 10)
                    .default(1)
                    .describe(
                        "Number of system nodes at creation; later changes are ignored by pulumi up (scale with az aks nodepool scale), and production wants 2 or more.",
                    ),
            })
            .prefault({})
            .describe("The system node pool, tainted CriticalAddonsOnly so it runs critical add-ons only."),
        nodeVmSize: vmSize("Standard_D4s_v5").default("Standard_D4s_v5").describe("Size of the user pool nodes, where the app runs."),
        authorizedIpRanges: clientCidrList({ key: "platform:azure.authorizedIpRanges", what: "the AKS API server", narrow: true })
            .min(1, { error: "must list at least one CIDR allowed to reach the API server" })
            .describe(
                "CIDRs that may reach the API server, each a /8 or narrower and not a documentation block; include the addresses of whoever runs pulumi up. Required: an AKS API open to the world (0.0.0.0/0, or blocks that together cover every address) is refused.",
            ),
        adminGroupObjectIds: z
            .array(
                z
                    .string()
                    .regex(GUID, {
                        error: "must be an Entra ID group object id (a lowercase GUID; az ad group show --group <name> --query id -o tsv)",
                    })
                    .refine((id) => !isPlaceholderGuid(id), {
                        error: "is a placeholder GUID, not an issued group id: set your admin group's, e.g. pulumi config set --path 'platform:azure.adminGroupObjectIds[0]' $(az ad group show --group <name> --query id -o tsv)",
                    }),
            )
            .default([])
            .describe(
                "Azure AD groups whose members are cluster admins through Azure RBAC; the deploying identity is granted admin separately.",
            ),
        maintenanceWindow: z
            .strictObject({
                day: oneOf(DAYS).default("Sunday").describe("Day of the weekly maintenance window."),
                startHour: intInRange(0, 23).default(2).describe("Hour (UTC) at which the window starts."),
                durationHours: intInRange(4, 24).default(4).describe("Length of the window in hours; AKS requires at least 4."),
            })
            .prefault({})
            .describe("Weekly window in which Kubernetes patch upgrades and node image updates are applied."),
        logRetentionDays: intInRange(30, 730)
            .default(30)
            .describe("Days the Log Analytics workspace keeps container and control-plane logs."),
        registrySku: oneOf(["Basic", "Standard", "Premium"]).default("Standard").describe("ACR tier."),
        redis: z
            .strictObject({
                sku: oneOf(["Basic", "Standard", "Premium"]).default("Standard").describe("Cache tier; Basic has no replica and no SLA."),
                capacity: intInRange(0, 6).default(1).describe("Cache size: C0–C6 for Basic and Standard, P1–P5 for Premium."),
            })
            .prefault({})
            .describe("The app's Redis, on Azure Cache for Redis."),
        postgres: z
            .strictObject({
                skuName: z
                    .string()
                    .regex(/^Standard_[A-Z][A-Za-z0-9]*(_v\d+)?$/, { error: 'must be a Flexible Server SKU such as "Standard_B2s"' })
                    .default("Standard_B2s")
                    .describe("Compute of the server; a Standard_B… SKU exactly when the tier is Burstable."),
                tier: oneOf(["Burstable", "GeneralPurpose", "MemoryOptimized"])
                    .default("Burstable")
                    .describe("Compute tier of the server."),
                version: oneOf(["14", "15", "16", "17"]).default("16").describe("PostgreSQL major version."),
                storageSizeGb: intInRange(32, 16384).default(32).describe("Storage in GiB at creation; it grows automatically."),
                highAvailability: flag()
                    .default(false)
                    .describe("Whether a zone-redundant standby runs; needs tier GeneralPurpose or MemoryOptimized."),
                backupRetentionDays: intInRange(7, 35).default(7).describe("Days of backups, which is the point-in-time restore window."),
            })
            .prefault({})
            .describe("The app's PostgreSQL, on PostgreSQL Flexible Server."),
        minClusterSize: clusterSizeShape.minClusterSize.describe("Autoscaler minimum of the user pool; at most maxClusterSize."),
        maxClusterSize: clusterSizeShape.maxClusterSize.describe("Autoscaler maximum of the user pool; at least minClusterSize."),
        desiredClusterSize: clusterSizeShape.desiredClusterSize.describe(
            "User pool size at creation, between minClusterSize and maxClusterSize; afterwards the autoscaler owns the count.",
        ),
    })
    .check(checkClusterSize)
    .check((ctx) => {
        const vnet = parseCidr(ctx.value.vnetCidr);
        const subnets = SUBNET_KEYS.map((key) => ({ key, block: parseCidr(ctx.value[key]) }));
        subnets.forEach(({ key, block }, i) => {
            if (!vnet || !block) return;
            if (!cidrContains(vnet, block)) {
                ctx.issues.push({
                    code: "custom",
                    path: [key],
                    input: ctx.value[key],
                    message: `must lie inside vnetCidr (${ctx.value.vnetCidr})`,
                });
                return;
            }
            for (const other of subnets.slice(0, i)) {
                if (other.block && cidrsOverlap(other.block, block)) {
                    ctx.issues.push({
                        code: "custom",
                        path: [key],
                        input: ctx.value[key],
                        message: `must not overlap ${other.key} (${ctx.value[other.key]}); pick a free block inside vnetCidr (${ctx.value.vnetCidr})`,
                    });
                }
            }
        });
        const services = parseCidr(ctx.value.serviceCidr);
        if (vnet && services && cidrsOverlap(vnet, services)) {
            ctx.issues.push({
                code: "custom",
                path: ["serviceCidr"],
                input: ctx.value.serviceCidr,
                message: `must not overlap vnetCidr (${ctx.value.vnetCidr}); service addresses are virtual and must lie outside the VNet`,
            });
        }
        if (services && services.prefix > 28) {
            ctx.issues.push({
                code: "custom",
                path: ["serviceCidr"],
                input: ctx.value.serviceCidr,
                message: "must be a block of at least 16 addresses (prefix /28 or shorter)",
            });
        }
    })
    .check((ctx) => {
        const { redis, postgres } = ctx.value;
        if (redis.sku === "Premium" && (redis.capacity < 1 || redis.capacity > 5)) {
            ctx.issues.push({
                code: "custom",
                path: ["redis", "capacity"],
                input: redis.capacity,
                message: "must be an integer from 1 to 5 for sku Premium (P1-P5)",
            });
        }
        const burstableSku = postgres.skuName.startsWith("Standard_B");
        if (postgres.tier === "Burstable" && !burstableSku) {
            ctx.issues.push({
                code: "custom",
                path: ["postgres", "skuName"],
                input: postgres.skuName,
                message:
                    'must be a B-series SKU such as "Standard_B2s" for tier Burstable, or set postgres.tier to GeneralPurpose or MemoryOptimized',
            });
        } else if (postgres.tier !== "Burstable" && burstableSku) {
            ctx.issues.push({
                code: "custom",
                path: ["postgres", "skuName"],
                input: postgres.skuName,
                message: `is a Burstable SKU; use one such as "Standard_D2ds_v5" for tier ${postgres.tier}, or set postgres.tier to Burstable`,
            });
        }
        if (postgres.highAvailability && postgres.tier === "Burstable") {
            ctx.issues.push({
                code: "custom",
                path: ["postgres", "highAvailability"],
                input: true,
                message: "needs postgres.tier GeneralPurpose or MemoryOptimized (zone-redundant HA is not offered on Burstable)",
            });
        }
    });
