/**
 * The azure target under mocks, for the committed prod stack and a non-production variant of
 * it: what is registered, with the values that make it secure and sized as configured.
 */
import * as assert from "assert";
import { fakeSecret } from "../../harness/fakeOutputs";
import { fakeId, Registration, SECRET_SIG } from "../../harness/mocks";
import { at, list, ofType, plainStrings, record } from "./support/inspect";
import { isSecret, runStack, StackRun, valueOf } from "../../harness/runStack";
import { readStackFile, StackConfigMap } from "../../harness/stackFiles";
import {
    FAKE_CLIENT,
    FAKE_KUBECONFIG,
    FAKE_REDIS_KEY,
    fakeIdentityPrincipalId,
    fakeKubeletObjectId,
    ignoreChangesOf,
} from "../../harness/azureFakes";

const T = {
    cluster: "azure-native:containerservice:ManagedCluster",
    pool: "azure-native:containerservice:AgentPool",
    maintenance: "azure-native:containerservice:MaintenanceConfiguration",
    registry: "azure-native:containerregistry:Registry",
    role: "azure-native:authorization:RoleAssignment",
    vnet: "azure-native:network:VirtualNetwork",
    subnet: "azure-native:network:Subnet",
    redis: "azure-native:redis:Redis",
    postgres: "azure-native:dbforpostgresql:Server",
    deployment: "kubernetes:apps/v1:Deployment",
    service: "kubernetes:core/v1:Service",
    netpol: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
} as const;

const ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

interface AzureBlock {
    location: string;
    systemPool: { vmSize: string; count: number };
    nodeVmSize: string;
    minClusterSize: number;
    maxClusterSize: number;
    desiredClusterSize: number;
    authorizedIpRanges: string[];
    adminGroupObjectIds: string[];
    vnetCidr: string;
    dataSubnetCidr: string;
    endpointSubnetCidr: string;
    maintenanceWindow: { day: string; startHour: number; durationHours: number };
    postgres: Record<string, unknown> & { highAvailability: boolean; backupRetentionDays: number };
    redis: Record<string, unknown>;
    [key: string]: unknown;
}

/** Pulumi.prod.yaml's Azure and app blocks, with the harness's stand-ins for the deploy-only placeholders. */
function prodFile(): { azure: AzureBlock; allowedSourceRanges: string[] } {
    const config = readStackFile("prod").config;
    const app = JSON.parse(config["platform:app"]) as { allowedSourceRanges?: string[] };
    return { azure: JSON.parse(config["platform:azure"]) as AzureBlock, allowedSourceRanges: app.allowedSourceRanges ?? [] };
}

/** Prod with the cost and availability knobs turned down, and no public way in: what a dev or test environment on Azure looks like. */
function nonProduction(): { map: StackConfigMap; azure: AzureBlock; allowedSourceRanges: string[] } {
    const prod = readStackFile("prod");
    const azure: AzureBlock = {
        ...prodFile().azure,
        controlPlaneTier: "Free",
        availabilityZones: [],
        networkPolicy: "azure",
        systemPool: { vmSize: "Standard_D2s_v5", count: 1 },
        nodeVmSize: "Standard_D2s_v5",
        minClusterSize: 1,
        maxClusterSize: 3,
        desiredClusterSize: 1,
        adminGroupObjectIds: [],
        maintenanceWindow: { day: "Saturday", startHour: 22, durationHours: 6 },
        redis: { sku: "Basic", capacity: 0 },
        postgres: {
            skuName: "Standard_B2s",
            tier: "Burstable",
            version: "16",
            storageSizeGb: 32,
            highAvailability: false,
            backupRetentionDays: 7,
        },
    };
    const app = { ...(JSON.parse(prod.config["platform:app"]) as Record<string, unknown>), allowedSourceRanges: [] };
    const map = { ...prod, config: { ...prod.config, "platform:azure": JSON.stringify(azure), "platform:app": JSON.stringify(app) } };
    return { map, azure, allowedSourceRanges: [] };
}

function only(registrations: readonly Registration[], type: string): Registration {
    const found = ofType(registrations, type);
    assert.strictEqual(found.length, 1, `expected one ${type}, got ${found.map((r) => r.name).join(", ")}`);
    return found[0];
}

function roleAssignment(registrations: readonly Registration[], roleId: string): Registration {
    const found = ofType(registrations, T.role).filter((r) => String(r.inputs.roleDefinitionId).endsWith(`/roleDefinitions/${roleId}`));
    assert.strictEqual(found.length, 1, `expected one assignment of role ${roleId}`);
    return found[0];
}

const variants = [
    { label: "prod (committed)", stack: "prod", load: () => ({ map: readStackFile("prod"), ...prodFile() }), ha: true },
    { label: "non-production variant", stack: "nonprod", load: nonProduction, ha: false },
];

for (const variant of variants) {
    describe(`azure target: ${variant.label}`, () => {
        const { map, azure, allowedSourceRanges } = variant.load();
        let run: StackRun;
        let regs: readonly Registration[];

        before(async () => {
            run = await runStack(variant.stack, map);
            if (run.error) throw run.error;
            regs = run.registrations;
        });

        it("registers the managed cluster, both pools, registry, AcrPull, VNet, Redis, PostgreSQL and the app's Deployment", () => {
            for (const type of [T.cluster, T.pool, T.registry, T.vnet, T.redis, T.postgres, T.deployment]) {
                assert.ok(ofType(regs, type).length >= 1, `${type} not registered`);
            }
            roleAssignment(regs, ACR_PULL);
        });

        it("sizes the system pool (inline, critical add-ons only) and the autoscaled user pool (separate AgentPool) as configured", () => {
            const profiles = list(only(regs, T.cluster).inputs.agentPoolProfiles).map(record);
            assert.strictEqual(profiles.length, 1, "only the system pool may be inline");
            assert.deepStrictEqual(
                {
                    mode: profiles[0].mode,
                    count: profiles[0].count,
                    vmSize: profiles[0].vmSize,
                    taints: profiles[0].nodeTaints,
                    publicIp: profiles[0].enableNodePublicIP,
                },
                {
                    mode: "System",
                    count: azure.systemPool.count,
                    vmSize: azure.systemPool.vmSize,
                    taints: ["CriticalAddonsOnly=true:NoSchedule"],
                    publicIp: false,
                },
            );
            const pool = only(regs, T.pool).inputs;
            assert.deepStrictEqual(
                {
                    mode: pool.mode,
                    autoscale: pool.enableAutoScaling,
                    min: pool.minCount,
                    count: pool.count,
                    max: pool.maxCount,
                    vmSize: pool.vmSize,
                    publicIp: pool.enableNodePublicIP,
                },
                {
                    mode: "User",
                    autoscale: true,
                    min: azure.minClusterSize,
                    count: azure.desiredClusterSize,
                    max: azure.maxClusterSize,
                    vmSize: azure.nodeVmSize,
                    publicIp: false,
                },
            );
        });

        it("never reverts node counts the autoscaler changed (ignoreChanges on the counts)", () => {
            const cluster = only(regs, T.cluster);
            const pool = only(regs, T.pool);
            assert.deepStrictEqual(ignoreChangesOf(T.cluster, cluster.name), ["agentPoolProfiles[*].count"]);
            assert.deepStrictEqual(ignoreChangesOf(T.pool, pool.name), ["count"]);
        });

        it("grants AcrPull to the kubelet identity's object id, on the registry, under the subscription", () => {
            const cluster = only(regs, T.cluster);
            const registry = only(regs, T.registry);
            const grant = roleAssignment(regs, ACR_PULL).inputs;
            assert.strictEqual(grant.principalId, fakeKubeletObjectId(cluster.name));
            assert.strictEqual(grant.scope, fakeId(T.registry, registry.name));
            assert.strictEqual(
                grant.roleDefinitionId,
                `/subscriptions/${FAKE_CLIENT.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${ACR_PULL}`,
            );
            assert.strictEqual(grant.principalType, "ServicePrincipal");
        });

        it("uses a user-assigned control-plane identity (no service principal) that may join the VNet", () => {
            const cluster = only(regs, T.cluster).inputs;
            const identity = only(regs, "azure-native:managedidentity:UserAssignedIdentity");
            assert.deepStrictEqual(cluster.identity, {
                type: "UserAssigned",
                userAssignedIdentities: [fakeId(identity.type, identity.name)],
            });
            assert.strictEqual(cluster.servicePrincipalProfile, undefined);
            const network = roleAssignment(regs, "4d97b98b-1d4f-4787-a291-c67834d212e7").inputs;
            assert.strictEqual(network.principalId, fakeIdentityPrincipalId(identity.name));
            assert.strictEqual(network.scope, fakeId(T.vnet, only(regs, T.vnet).name));
        });

        it("turns local accounts off and hands access to Azure AD: configured admin groups, and the deploying identity", () => {
            const cluster = only(regs, T.cluster);
            assert.strictEqual(cluster.inputs.disableLocalAccounts, true);
            assert.deepStrictEqual(cluster.inputs.aadProfile, {
                managed: true,
                enableAzureRBAC: true,
                adminGroupObjectIDs: azure.adminGroupObjectIds,
            });
            const deployer = roleAssignment(regs, "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b").inputs;
            assert.strictEqual(deployer.principalId, FAKE_CLIENT.objectId);
            assert.strictEqual(deployer.scope, fakeId(T.cluster, cluster.name));
        });

        it("limits the API server to the configured ranges", () => {
            assert.deepStrictEqual(at(only(regs, T.cluster).inputs, "apiServerAccessProfile.authorizedIPRanges"), azure.authorizedIpRanges);
        });

        it("turns on the OIDC issuer, workload identity, a NetworkPolicy engine and the Key Vault secrets provider", () => {
            const cluster = only(regs, T.cluster).inputs;
            assert.strictEqual(at(cluster, "oidcIssuerProfile.enabled"), true);
            assert.strictEqual(at(cluster, "securityProfile.workloadIdentity.enabled"), true);
            assert.strictEqual(at(cluster, "networkProfile.networkPlugin"), "azure");
            assert.strictEqual(at(cluster, "networkProfile.networkPolicy"), azure.networkPolicy);
            assert.strictEqual(at(cluster, "addonProfiles.azureKeyvaultSecretsProvider.enabled"), true);
            const workspace = only(regs, "azure-native:operationalinsights:Workspace");
            assert.deepStrictEqual(at(cluster, "addonProfiles.omsagent"), {
                enabled: true,
                config: { logAnalyticsWorkspaceResourceID: fakeId(workspace.type, workspace.name), useAADAuth: "true" },
            });
        });

        it("puts nodes and pods in their own subnets of the configured VNet", () => {
            assert.deepStrictEqual(at(only(regs, T.vnet).inputs, "addressSpace.addressPrefixes"), [azure.vnetCidr]);
            const subnets = Object.fromEntries(ofType(regs, T.subnet).map((s) => [s.name, s]));
            const profile = record(list(only(regs, T.cluster).inputs.agentPoolProfiles)[0]);
            assert.strictEqual(profile.vnetSubnetID, fakeId(T.subnet, "azure-network-nodes"));
            assert.strictEqual(profile.podSubnetID, fakeId(T.subnet, "azure-network-pods"));
            assert.strictEqual(subnets["azure-network-data"].inputs.addressPrefix, azure.dataSubnetCidr);
            assert.deepStrictEqual(subnets["azure-network-data"].inputs.delegations, [
                { name: "data", serviceName: "Microsoft.DBforPostgreSQL/flexibleServers" },
            ]);
        });

        it("schedules upgrades in the configured maintenance window", () => {
            const configs = ofType(regs, T.maintenance).map((r) => r.inputs);
            assert.deepStrictEqual(configs.map((c) => c.configName).sort(), [
                "aksManagedAutoUpgradeSchedule",
                "aksManagedNodeOSUpgradeSchedule",
            ]);
            const w = azure.maintenanceWindow;
            for (const c of configs) {
                assert.deepStrictEqual(c.maintenanceWindow, {
                    schedule: { weekly: { dayOfWeek: w.day, intervalWeeks: 1 } },
                    durationHours: w.durationHours,
                    startTime: `${String(w.startHour).padStart(2, "0")}:00`,
                    utcOffset: "+00:00",
                });
            }
        });

        it("keeps the registry's admin user off", () => {
            const registry = only(regs, T.registry).inputs;
            assert.strictEqual(registry.adminUserEnabled, false);
            assert.strictEqual(registry.anonymousPullEnabled, false);
            assert.deepStrictEqual(registry.tags, { "platform-stack": variant.stack });
        });

        it("serves Redis over TLS 1.2 only, on a private endpoint", () => {
            const redis = only(regs, T.redis).inputs;
            assert.deepStrictEqual(
                { nonSsl: redis.enableNonSslPort, tls: redis.minimumTlsVersion, publicAccess: redis.publicNetworkAccess },
                { nonSsl: false, tls: "1.2", publicAccess: "Disabled" },
            );
            const endpoint = only(regs, "azure-native:network:PrivateEndpoint").inputs;
            assert.deepStrictEqual(at(endpoint, "subnet.id"), fakeId(T.subnet, "azure-network-endpoints"));
            assert.strictEqual(
                record(list(endpoint.privateLinkServiceConnections)[0]).privateLinkServiceId,
                fakeId(T.redis, only(regs, T.redis).name),
            );
        });

        it("keeps PostgreSQL off the internet, in the delegated subnet, with configured backups and HA", () => {
            const server = only(regs, T.postgres);
            assert.deepStrictEqual(server.inputs.network, {
                delegatedSubnetResourceId: fakeId(T.subnet, "azure-network-data"),
                privateDnsZoneArmResourceId: fakeId("azure-native:privatedns:PrivateZone", "azure-data-postgres-dns"),
                publicNetworkAccess: "Disabled",
            });
            assert.strictEqual(at(server.inputs, "backup.backupRetentionDays"), azure.postgres.backupRetentionDays);
            assert.strictEqual(at(server.inputs, "highAvailability.mode"), variant.ha ? "ZoneRedundant" : "Disabled");
            assert.strictEqual(
                record(server.wireInputs.administratorLoginPassword)["4dabf18193072939515e22adb298388d"],
                SECRET_SIG,
                "admin password must travel as a secret",
            );
        });

        it("never puts the Redis key or the PostgreSQL password in plain text", () => {
            const plain = new Set(regs.flatMap((r) => plainStrings(r.wireInputs)));
            assert.ok(!plain.has(FAKE_REDIS_KEY), "Redis key in plain text");
            assert.ok(!plain.has(fakeSecret("azure-data-postgres-password")), "PostgreSQL password in plain text");
        });

        it("lets the app reach exactly the data subnets, on the TLS Redis port and the PostgreSQL port", () => {
            const rules = ofType(regs, T.netpol)
                .flatMap((policy) => list(at(policy.inputs, "spec.egress")))
                .map((rule) => ({
                    cidrs: list(record(rule).to)
                        .map((peer) => at(peer, "ipBlock.cidr"))
                        .filter((cidr) => cidr !== undefined),
                    ports: list(record(rule).ports).map((port) => record(port).port),
                }));
            assert.deepStrictEqual(
                rules.filter((r) => r.cidrs.length > 0),
                [
                    { cidrs: [azure.endpointSubnetCidr], ports: [6380] },
                    { cidrs: [azure.dataSubnetCidr], ports: [5432] },
                ],
            );
        });

        it("exposes public services through an Azure load balancer: limited to the allowed ranges, internal when there are none", () => {
            const service = ofType(regs, T.service).find((s) => at(s.inputs, "spec.type") === "LoadBalancer");
            assert.ok(service, "no LoadBalancer Service");
            const annotations = record(at(service.inputs, "metadata.annotations"));
            if (allowedSourceRanges.length === 0) {
                assert.strictEqual(annotations["service.beta.kubernetes.io/azure-load-balancer-internal"], "true");
            } else {
                assert.strictEqual(annotations["service.beta.kubernetes.io/azure-load-balancer-internal"], undefined);
                assert.deepStrictEqual(at(service.inputs, "spec.loadBalancerSourceRanges"), allowedSourceRanges);
            }
        });

        it("routes every Azure resource through the explicit azure-native provider, and every Kubernetes one through the cluster's", () => {
            const azureResources = regs.filter((r) => r.type.startsWith("azure-native:"));
            assert.ok(azureResources.length > 20);
            for (const r of azureResources)
                assert.match(
                    r.provider,
                    /\$pulumi:providers:azure-native::azure-provider::/,
                    `${r.type}::${r.name} uses ${r.provider || "the default provider"}`,
                );
            const provider = only(regs, "pulumi:providers:azure-native");
            assert.strictEqual(provider.inputs.location, azure.location);
            for (const r of regs.filter((x) => x.type.startsWith("kubernetes:")))
                assert.match(r.provider, /\$pulumi:providers:kubernetes::azure-k8s::/, `${r.type}::${r.name}`);
        });

        it("outputs the cluster name, the registry login server and a secret kubeconfig decoded from the user credentials", async () => {
            const outputs = run.outputs;
            assert.ok(outputs);
            assert.strictEqual(await valueOf(outputs.clusterName), only(regs, T.cluster).name);
            const registry = only(regs, T.registry);
            assert.strictEqual(await valueOf(outputs.registryUrl), `${String(registry.inputs.registryName)}.azurecr.io`);
            assert.match(String(registry.inputs.registryName), /^platform[0-9a-f]{16}$/);
            assert.strictEqual(await isSecret(outputs.kubeconfig), true);
            assert.strictEqual(await valueOf(outputs.kubeconfig), FAKE_KUBECONFIG);
            assert.match(await valueOf(outputs.appUrl), /^http:\/\/192\.0\.2\.10(:\d+)?/);
        });
    });
}

describe("azure target: resource names (a rename replaces live infrastructure)", () => {
    it("registers exactly these Azure resources for prod", async () => {
        const run = await runStack("prod", readStackFile("prod"));
        if (run.error) throw run.error;
        const lines = run.registrations
            .filter((r) => r.type.startsWith("azure-native:") || r.type.startsWith("platform:cluster:Azure"))
            .map((r) => `${r.type}::${r.name}`)
            .sort();
        assert.deepStrictEqual(lines, [
            "azure-native:authorization:RoleAssignment::azure-aks-deployer-admin",
            "azure-native:authorization:RoleAssignment::azure-aks-network-contributor",
            "azure-native:authorization:RoleAssignment::azure-registry-acr-pull",
            "azure-native:containerregistry:Registry::azure-registry-acr",
            "azure-native:containerservice:AgentPool::azure-aks-user-pool",
            "azure-native:containerservice:MaintenanceConfiguration::azure-aks-maintenance-node-os",
            "azure-native:containerservice:MaintenanceConfiguration::azure-aks-maintenance-upgrade",
            "azure-native:containerservice:ManagedCluster::azure-aks-cluster",
            "azure-native:dbforpostgresql:Database::azure-data-postgres-db",
            "azure-native:dbforpostgresql:Server::azure-data-postgres",
            "azure-native:managedidentity:UserAssignedIdentity::azure-aks-identity",
            "azure-native:monitor:DataCollectionRule::azure-insights-dcr",
            "azure-native:monitor:DataCollectionRuleAssociation::azure-insights-dcra",
            "azure-native:monitor:DiagnosticSetting::azure-insights-control-plane",
            "azure-native:network:PrivateDnsZoneGroup::azure-data-redis-endpoint-dns",
            "azure-native:network:PrivateEndpoint::azure-data-redis-endpoint",
            "azure-native:network:Subnet::azure-network-data",
            "azure-native:network:Subnet::azure-network-endpoints",
            "azure-native:network:Subnet::azure-network-nodes",
            "azure-native:network:Subnet::azure-network-pods",
            "azure-native:network:VirtualNetwork::azure-network-vnet",
            "azure-native:operationalinsights:Workspace::azure-monitoring-logs",
            "azure-native:privatedns:PrivateZone::azure-data-postgres-dns",
            "azure-native:privatedns:PrivateZone::azure-data-redis-dns",
            "azure-native:privatedns:VirtualNetworkLink::azure-data-postgres-dns-link",
            "azure-native:privatedns:VirtualNetworkLink::azure-data-redis-dns-link",
            "azure-native:redis:Redis::azure-data-redis",
            "azure-native:resources:ResourceGroup::azure-network-rg",
            "platform:cluster:AzureAks::azure-aks",
            "platform:cluster:AzureCluster::azure",
            "platform:cluster:AzureClusterInsights::azure-insights",
            "platform:cluster:AzureData::azure-data",
            "platform:cluster:AzureMonitoring::azure-monitoring",
            "platform:cluster:AzureNetwork::azure-network",
            "platform:cluster:AzureRegistry::azure-registry",
        ]);
    });
});
