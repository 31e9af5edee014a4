/**
 * `platform:azure` rules: each bad value is named with its key, the value received and the fix;
 * every problem is reported at once; good values get their documented defaults.
 */
import * as assert from "assert";
import { STAND_IN_CIDR } from "../../harness/standIns";
import { parseStackConfig, ParseResult } from "../../stacks/parse";
import { fakeFiles } from "./support/files";

const BASE = { location: "westeurope", authorizedIpRanges: [STAND_IN_CIDR] };

function parseAzure(block: Record<string, unknown> | undefined): ParseResult {
    const config: Record<string, string> = { "platform:cloud": "azure" };
    if (block !== undefined) config["platform:azure"] = JSON.stringify(block);
    return parseStackConfig(config, {
        stack: "test",
        projectDir: "/project",
        project: "platform",
        homeDir: "/home/user",
        secretKeys: new Set(),
        files: fakeFiles(),
    });
}

function problemsOf(result: ParseResult): { key: string; value?: string; message: string }[] {
    assert.strictEqual(result.ok, false, "expected the config to be rejected");
    return result.ok ? [] : [...result.problems];
}

describe("azure config: rules", () => {
    const cases: { name: string; block: Record<string, unknown>; key: string; value?: string; message: RegExp }[] = [
        {
            name: "user pool VM size without the Standard_ prefix",
            block: { nodeVmSize: "D4s_v5" },
            key: "platform:azure.nodeVmSize",
            value: "D4s_v5",
            message: /^must be a VM size name such as "Standard_D4s_v5"$/,
        },
        {
            name: "user pool VM size in the wrong case",
            block: { nodeVmSize: "standard_d4s_v5" },
            key: "platform:azure.nodeVmSize",
            value: "standard_d4s_v5",
            message: /must be a VM size name such as "Standard_D4s_v5"/,
        },
        {
            name: "system pool VM size with spaces",
            block: { systemPool: { vmSize: "Standard D2s v5" } },
            key: "platform:azure.systemPool.vmSize",
            value: "Standard D2s v5",
            message: /must be a VM size name such as "Standard_D2s_v5"/,
        },
        {
            name: "location with a typo, with a suggestion",
            block: { location: "westeurop" },
            key: "platform:azure.location",
            value: "westeurop",
            message: /^must be one of australiaeast, .*westus3; did you mean westeurope\?$/,
        },
        {
            name: "location not in the list",
            block: { location: "atlantis" },
            key: "platform:azure.location",
            value: "atlantis",
            message: /^must be one of australiaeast, .*, westus3$/,
        },
        {
            name: "pod subnet overlapping the node subnet",
            block: { podSubnetCidr: "10.20.8.0/21" },
            key: "platform:azure.podSubnetCidr",
            value: "10.20.8.0/21",
            message: /^must not overlap nodeSubnetCidr \(10\.20\.0\.0\/20\); pick a free block inside vnetCidr \(10\.20\.0\.0\/16\)$/,
        },
        {
            name: "endpoint subnet overlapping the data subnet",
            block: { endpointSubnetCidr: "10.20.32.128/25" },
            key: "platform:azure.endpointSubnetCidr",
            value: "10.20.32.128/25",
            message: /must not overlap dataSubnetCidr \(10\.20\.32\.0\/24\)/,
        },
        {
            name: "data subnet outside the VNet",
            block: { dataSubnetCidr: "10.30.0.0/24" },
            key: "platform:azure.dataSubnetCidr",
            value: "10.30.0.0/24",
            message: /^must lie inside vnetCidr \(10\.20\.0\.0\/16\)$/,
        },
        {
            name: "service range inside the VNet",
            block: { serviceCidr: "10.20.128.0/20" },
            key: "platform:azure.serviceCidr",
            value: "10.20.128.0/20",
            message: /must not overlap vnetCidr \(10\.20\.0\.0\/16\)/,
        },
        {
            name: "service range too small for the DNS service address",
            block: { serviceCidr: "172.16.0.0/29" },
            key: "platform:azure.serviceCidr",
            value: "172.16.0.0/29",
            message: /at least 16 addresses/,
        },
        {
            name: "CIDR with host bits set",
            block: { vnetCidr: "10.20.0.1/16" },
            key: "platform:azure.vnetCidr",
            value: "10.20.0.1/16",
            message: /must be an IPv4 CIDR block such as "10\.0\.0\.0\/16"/,
        },
        {
            name: "API server open to nobody listed",
            block: { authorizedIpRanges: [] },
            key: "platform:azure.authorizedIpRanges",
            value: "[]",
            message: /must list at least one CIDR allowed to reach the API server/,
        },
        {
            name: "authorized range that is not a CIDR",
            block: { authorizedIpRanges: ["office"] },
            key: "platform:azure.authorizedIpRanges[0]",
            value: "office",
            message: /must be an IPv4 CIDR block/,
        },
        {
            name: "admin group that is not an object id",
            block: { adminGroupObjectIds: ["platform-admins"] },
            key: "platform:azure.adminGroupObjectIds[0]",
            value: "platform-admins",
            message: /^must be an Entra ID group object id \(a lowercase GUID; az ad group show --group <name> --query id -o tsv\)$/,
        },
        {
            name: "network policy engine AKS does not offer",
            block: { networkPolicy: "calico" },
            key: "platform:azure.networkPolicy",
            value: "calico",
            message: /^must be one of azure, cilium$/,
        },
        {
            name: "availability zone that does not exist",
            block: { availabilityZones: ["4"] },
            key: "platform:azure.availabilityZones[0]",
            value: "4",
            message: /must be one of 1, 2, 3/,
        },
        {
            name: "maintenance window shorter than AKS allows",
            block: { maintenanceWindow: { durationHours: 2 } },
            key: "platform:azure.maintenanceWindow.durationHours",
            value: "2",
            message: /must be an integer from 4 to 24/,
        },
        {
            name: "log retention below the workspace minimum",
            block: { logRetentionDays: 7 },
            key: "platform:azure.logRetentionDays",
            value: "7",
            message: /must be an integer from 30 to 730/,
        },
        {
            name: "Premium Redis with capacity 0",
            block: { redis: { sku: "Premium", capacity: 0 } },
            key: "platform:azure.redis.capacity",
            value: "0",
            message: /must be an integer from 1 to 5 for sku Premium/,
        },
        {
            name: "zone-redundant PostgreSQL on Burstable",
            block: { postgres: { highAvailability: true } },
            key: "platform:azure.postgres.highAvailability",
            value: "true",
            message: /needs postgres\.tier GeneralPurpose or MemoryOptimized/,
        },
        {
            name: "Burstable tier with a D-series SKU",
            block: { postgres: { tier: "Burstable", skuName: "Standard_D2ds_v5" } },
            key: "platform:azure.postgres.skuName",
            value: "Standard_D2ds_v5",
            message: /must be a B-series SKU such as "Standard_B2s" for tier Burstable/,
        },
        {
            name: "GeneralPurpose tier with a B-series SKU",
            block: { postgres: { tier: "GeneralPurpose", skuName: "Standard_B2s" } },
            key: "platform:azure.postgres.skuName",
            value: "Standard_B2s",
            message: /is a Burstable SKU; use one such as "Standard_D2ds_v5" for tier GeneralPurpose/,
        },
        {
            name: "autoscaler max below min",
            block: { minClusterSize: 3, maxClusterSize: 2, desiredClusterSize: 3 },
            key: "platform:azure.maxClusterSize",
            value: "2",
            message: /must be an integer from 1 to 100 and >= minClusterSize \(3\)/,
        },
        {
            name: "misspelt key, with a suggestion",
            block: { nodeVmSzie: "Standard_D4s_v5" },
            key: "platform:azure.nodeVmSzie",
            message: /unknown key; did you mean platform:azure\.nodeVmSize\?/,
        },
    ];
    for (const c of cases) {
        it(c.name, () => {
            const problems = problemsOf(parseAzure({ ...BASE, ...c.block }));
            const problem = problems.find((p) => p.key === c.key);
            assert.ok(problem, `no problem for ${c.key}; got ${JSON.stringify(problems)}`);
            assert.strictEqual(problem.value, c.value);
            assert.match(problem.message, c.message);
            assert.strictEqual(problems.length, 1, `expected exactly one problem, got ${JSON.stringify(problems)}`);
        });
    }

    it("reports every problem at once", () => {
        const problems = problemsOf(parseAzure({ ...BASE, nodeVmSize: "big", location: "mars", podSubnetCidr: "10.20.0.0/20" }));
        assert.deepStrictEqual(problems.map((p) => p.key).sort(), ["platform:azure.location", "platform:azure.nodeVmSize"]);
    });

    it("reports overlaps once the other values are valid, naming both keys", () => {
        const problems = problemsOf(parseAzure({ ...BASE, podSubnetCidr: "10.20.0.0/20", dataSubnetCidr: "10.20.0.0/24" }));
        assert.deepStrictEqual(
            problems.map((p) => `${p.key}: ${p.message}`),
            [
                "platform:azure.podSubnetCidr: must not overlap nodeSubnetCidr (10.20.0.0/20); pick a free block inside vnetCidr (10.20.0.0/16)",
                "platform:azure.dataSubnetCidr: must not overlap nodeSubnetCidr (10.20.0.0/20); pick a free block inside vnetCidr (10.20.0.0/16)",
            ],
        );
    });

    it("requires the azure block when cloud is azure, and names the missing keys in it", () => {
        const keys = problemsOf(parseAzure(undefined)).map((p) => p.key);
        assert.ok(keys.includes("platform:azure"), keys.join(", "));
        assert.ok(keys.includes("platform:azure.location"), keys.join(", "));
        assert.ok(keys.includes("platform:azure.authorizedIpRanges"), keys.join(", "));
    });

    it("accepts real VM size names", () => {
        for (const size of ["Standard_D4s_v5", "Standard_B2s", "Standard_E4-2ds_v5", "Standard_NC24ads_A100_v4", "Standard_D2pls_v6"]) {
            const result = parseAzure({ ...BASE, nodeVmSize: size });
            assert.ok(result.ok, `${size}: ${result.ok ? "" : JSON.stringify(result.problems)}`);
        }
    });

    it("fills the documented defaults", () => {
        const result = parseAzure(BASE);
        assert.ok(result.ok && result.config.cloud === "azure", result.ok ? "" : JSON.stringify(result.problems));
        const target = result.config.target;
        assert.deepStrictEqual(
            {
                kubernetesVersion: target.kubernetesVersion,
                controlPlaneTier: target.controlPlaneTier,
                networkPolicy: target.networkPolicy,
                serviceCidr: target.serviceCidr,
                endpointSubnetCidr: target.endpointSubnetCidr,
                zones: target.availabilityZones,
                pools: [target.systemPool.count, target.minClusterSize, target.desiredClusterSize, target.maxClusterSize],
                adminGroups: target.adminGroupObjectIds,
                logRetentionDays: target.logRetentionDays,
                postgresHa: target.postgres.highAvailability,
            },
            {
                kubernetesVersion: "1.33",
                controlPlaneTier: "Standard",
                networkPolicy: "azure",
                serviceCidr: "10.21.0.0/16",
                endpointSubnetCidr: "10.20.33.0/24",
                zones: [],
                pools: [1, 2, 2, 4],
                adminGroups: [],
                logRetentionDays: 30,
                postgresHa: false,
            },
        );
    });
});
