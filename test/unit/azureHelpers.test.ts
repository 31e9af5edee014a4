/**
 * The azure target's pure helpers, without Pulumi: addresses, names, identities, kubeconfig
 * decoding, the way in; and a property test of the subnet layout rule against an oracle that
 * works on address ranges, not on the schema's own CIDR code.
 */
import * as assert from "assert";
import { STAND_IN_CIDR } from "../../harness/standIns";
import fc from "fast-check";
import { aadProfile, dnsPrefix, dnsServiceIp, maintenanceWindow, networkProfile } from "../../components/cluster/azure/aks";
import { postgresHighAvailability, postgresPrivateZone, redisSku } from "../../components/cluster/azure/data";
import { azureWayIn, INTERNAL_LB_ANNOTATION } from "../../components/cluster/azure";
import { decodeKubeconfig } from "../../components/cluster/azure/kubeconfig";
import { subnetPlans } from "../../components/cluster/azure/network";
import { systemPoolProfile, userPoolProperties } from "../../components/cluster/azure/pools";
import { kubeletObjectId, registryName } from "../../components/cluster/azure/registry";
import { roleDefinitionId } from "../../components/cluster/azure/roles";
import { parseStackConfig } from "../../stacks/parse";
import { fakeFiles } from "./support/files";

describe("azure helpers", () => {
    it("puts the cluster DNS service at the 10th address of the service range", () => {
        assert.strictEqual(dnsServiceIp("10.21.0.0/16"), "10.21.0.10");
        assert.strictEqual(dnsServiceIp("172.16.255.240/28"), "172.16.255.250");
        assert.throws(() => dnsServiceIp("172.16.0.0/29"), /at least 16 addresses/);
    });

    it("derives a DNS prefix AKS accepts from any stack name", () => {
        assert.strictEqual(dnsPrefix("prod"), "platform-prod");
        assert.strictEqual(dnsPrefix("Team_A.prod"), "platform-team-a-prod");
        const long = dnsPrefix("x".repeat(80));
        assert.strictEqual(long.length, 54);
        assert.match(dnsPrefix(`${"a".repeat(44)}-b`), /^[a-z0-9][a-z0-9-]{0,52}[a-z0-9]$/);
    });

    it("names the registry with 5-50 alphanumerics, stable per seed and different across seeds", () => {
        const a = registryName("/subscriptions/1/resourceGroups/rg-a");
        assert.match(a, /^[a-z0-9]{5,50}$/);
        assert.strictEqual(a, registryName("/subscriptions/1/resourceGroups/rg-a"));
        assert.notStrictEqual(a, registryName("/subscriptions/1/resourceGroups/rg-b"));
    });

    it("reads the kubelet identity, never another one, and refuses a cluster that reports none", () => {
        assert.strictEqual(kubeletObjectId({ kubeletidentity: { objectId: "k-1" }, other: { objectId: "o-1" } }), "k-1");
        assert.throws(() => kubeletObjectId({ other: { objectId: "o-1" } }), /no kubelet identity/);
        assert.throws(() => kubeletObjectId(undefined), /no kubelet identity/);
    });

    it("addresses built-in roles under the subscription and rejects a non-GUID subscription", () => {
        assert.strictEqual(
            roleDefinitionId("11111111-2222-4333-8444-555555555555", "7f951dda-4ed3-4680-a7ca-43fe172d538d"),
            "/subscriptions/11111111-2222-4333-8444-555555555555/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d",
        );
        assert.throws(() => roleDefinitionId("", "x"), /not a subscription id/);
    });

    it("decodes the first user kubeconfig and names the likely cause when there is none", () => {
        assert.strictEqual(
            decodeKubeconfig({ kubeconfigs: [{ name: "clusterUser", value: Buffer.from("apiVersion: v1\n").toString("base64") }] }),
            "apiVersion: v1\n",
        );
        assert.throws(() => decodeKubeconfig({ kubeconfigs: [] }), /may list cluster user credentials/);
    });

    it("keeps the load balancer internal without allowed ranges, and public but limited with them", () => {
        assert.deepStrictEqual(azureWayIn([]), {
            kind: "loadBalancer",
            address: "ip",
            annotations: { [INTERNAL_LB_ANNOTATION]: "true" },
            sourceRanges: [],
        });
        assert.deepStrictEqual(azureWayIn(["198.51.100.0/24"]), {
            kind: "loadBalancer",
            address: "ip",
            annotations: {},
            sourceRanges: ["198.51.100.0/24"],
        });
    });

    it("delegates the pod subnet to AKS and the data subnet to Flexible Server, and nothing else", () => {
        const plans = subnetPlans({
            vnetCidr: "10.0.0.0/16",
            nodeSubnetCidr: "10.0.0.0/20",
            podSubnetCidr: "10.0.16.0/20",
            dataSubnetCidr: "10.0.32.0/24",
            endpointSubnetCidr: "10.0.33.0/24",
        });
        assert.deepStrictEqual(
            plans.map((p) => [p.role, p.cidr, p.delegation]),
            [
                ["nodes", "10.0.0.0/20", undefined],
                ["pods", "10.0.16.0/20", "Microsoft.ContainerService/managedClusters"],
                ["data", "10.0.32.0/24", "Microsoft.DBforPostgreSQL/flexibleServers"],
                ["endpoints", "10.0.33.0/24", undefined],
            ],
        );
    });

    it("runs Cilium policy on the Cilium data plane, and Azure policy on the default one", () => {
        assert.deepStrictEqual(
            [
                networkProfile({ networkPolicy: "cilium", serviceCidr: "10.21.0.0/16" }).networkDataplane,
                networkProfile({ networkPolicy: "azure", serviceCidr: "10.21.0.0/16" }).networkDataplane,
            ],
            ["cilium", undefined],
        );
    });

    it("pins pools to the configured zones, or to none", () => {
        const settings = {
            kubernetesVersion: "1.33",
            systemPool: { vmSize: "Standard_D2s_v5", count: 2 },
            nodeVmSize: "Standard_D4s_v5",
            minClusterSize: 2,
            maxClusterSize: 5,
            desiredClusterSize: 3,
        };
        const subnets = { nodes: "n", pods: "p" };
        assert.deepStrictEqual(systemPoolProfile({ ...settings, availabilityZones: ["1", "2", "3"] }, subnets).availabilityZones, [
            "1",
            "2",
            "3",
        ]);
        assert.strictEqual(userPoolProperties({ ...settings, availabilityZones: [] }, subnets).availabilityZones, undefined);
    });

    it("maps SKUs, HA and the maintenance window to what the Azure APIs take", () => {
        assert.deepStrictEqual(redisSku({ sku: "Premium", capacity: 2 }), { name: "Premium", family: "P", capacity: 2 });
        assert.deepStrictEqual(redisSku({ sku: "Standard", capacity: 1 }), { name: "Standard", family: "C", capacity: 1 });
        assert.deepStrictEqual(
            [postgresHighAvailability(true), postgresHighAvailability(false)],
            [{ mode: "ZoneRedundant" }, { mode: "Disabled" }],
        );
        assert.match(postgresPrivateZone("azure-data"), /\.postgres\.database\.azure\.com$/);
        assert.strictEqual(maintenanceWindow({ day: "Monday", startHour: 7, durationHours: 5 }).startTime, "07:00");
        assert.deepStrictEqual(aadProfile([]), { managed: true, enableAzureRBAC: true, adminGroupObjectIDs: [] });
    });
});

describe("azure subnet layout property", () => {
    // Blocks as [first, last] address numbers, built without the schema's CIDR helpers.
    const block = fc
        .record({ octet: fc.integer({ min: 0, max: 255 }), prefix: fc.integer({ min: 20, max: 26 }) })
        .map(({ octet, prefix }) => {
            const size = 2 ** (32 - prefix);
            const first = 10 * 2 ** 24 + 20 * 2 ** 16 + octet * 256 - ((10 * 2 ** 24 + 20 * 2 ** 16 + octet * 256) % size);
            return { first, last: first + size - 1, text: `10.20.${Math.floor((first % 65536) / 256)}.${first % 256}/${prefix}` };
        });

    it("accepts four subnets exactly when none overlaps another (all inside 10.20.0.0/16)", () => {
        fc.assert(
            fc.property(fc.tuple(block, block, block, block), (blocks) => {
                const overlap = blocks.some((a, i) => blocks.slice(i + 1).some((b) => a.first <= b.last && b.first <= a.last));
                const azure = {
                    location: "westeurope",
                    authorizedIpRanges: [STAND_IN_CIDR],
                    vnetCidr: "10.20.0.0/16",
                    nodeSubnetCidr: blocks[0].text,
                    podSubnetCidr: blocks[1].text,
                    dataSubnetCidr: blocks[2].text,
                    endpointSubnetCidr: blocks[3].text,
                };
                const result = parseStackConfig(
                    { "platform:cloud": "azure", "platform:azure": JSON.stringify(azure) },
                    { stack: "p", projectDir: "/p", project: "platform", homeDir: "/h", secretKeys: new Set(), files: fakeFiles() },
                );
                assert.strictEqual(
                    result.ok,
                    !overlap,
                    `${blocks.map((b) => b.text).join(", ")}: ${result.ok ? "accepted" : JSON.stringify(result.problems)}`,
                );
            }),
            { numRuns: 300 },
        );
    });
});
