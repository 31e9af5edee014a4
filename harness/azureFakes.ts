/**
 * Fake outputs and invoke results for the azure target: what Azure would compute and the
 * program reads back (names Azure assigns, the kubelet identity, host names, keys, the
 * subscription). Importing this module registers them.
 */
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { addFakeOutputs } from "./fakeOutputs";
import { addInvokeResults } from "./invokes";

/** The subscription and deploying identity the fake client config reports. */
export const FAKE_CLIENT = {
    subscriptionId: "11111111-2222-4333-8444-555555555555",
    tenantId: "66666666-7777-4888-9999-000000000000",
    clientId: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
    objectId: "deployer-object-id-0001",
};

/** Object id the fake managed cluster reports for its kubelet identity (distinct from every other principal). */
export function fakeKubeletObjectId(clusterName: string): string {
    return `kubelet-object-id-of-${clusterName}`;
}

/** Principal id the fake user-assigned identity reports (the control-plane identity). */
export function fakeIdentityPrincipalId(identityName: string): string {
    return `control-plane-principal-of-${identityName}`;
}

/** The kubeconfig the fake user credentials carry (base64 on the wire, as AKS returns it). */
export const FAKE_KUBECONFIG = "apiVersion: v1\nkind: Config\nusers: [{name: clusterUser, user: {exec: {command: kubelogin}}}]\n";

/** The primary key the fake Redis reports. */
export const FAKE_REDIS_KEY = "fake-redis-primary-key";

const named = (name: string) => ({ name });

addFakeOutputs({
    "azure-native:resources:ResourceGroup": named,
    "azure-native:network:VirtualNetwork": named,
    "azure-native:network:Subnet": named,
    "azure-native:network:PrivateEndpoint": named,
    "azure-native:privatedns:PrivateZone": (_name, inputs) => ({ name: inputs.privateZoneName }),
    "azure-native:operationalinsights:Workspace": named,
    "azure-native:managedidentity:UserAssignedIdentity": (name) => ({
        name,
        principalId: fakeIdentityPrincipalId(name),
        clientId: `client-of-${name}`,
    }),
    "azure-native:containerservice:ManagedCluster": (name) => ({
        name,
        identityProfile: {
            kubeletidentity: { objectId: fakeKubeletObjectId(name), clientId: `kubelet-client-of-${name}`, resourceId: `/kubelet/${name}` },
        },
        oidcIssuerProfile: { enabled: true, issuerURL: `https://oidc.example/${name}/` },
    }),
    "azure-native:containerregistry:Registry": (_name, inputs) => ({
        name: inputs.registryName,
        loginServer: `${String(inputs.registryName)}.azurecr.io`,
    }),
    "azure-native:redis:Redis": (name) => ({ name, hostName: `${name}.redis.cache.windows.net`, sslPort: 6380 }),
    "azure-native:dbforpostgresql:Server": (name) => ({ name, fullyQualifiedDomainName: `${name}.postgres.database.azure.com` }),
    "azure-native:dbforpostgresql:Database": (_name, inputs) => ({ name: inputs.databaseName }),
});

addInvokeResults({
    "azure-native:authorization:getClientConfig": () => ({ ...FAKE_CLIENT }),
    "azure-native:containerservice:listManagedClusterUserCredentials": () => ({
        kubeconfigs: [{ name: "clusterUser", value: Buffer.from(FAKE_KUBECONFIG, "utf8").toString("base64") }],
    }),
    "azure-native:redis:listRedisKeys": () => ({ primaryKey: FAKE_REDIS_KEY, secondaryKey: "fake-redis-secondary-key" }),
});

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getIgnorechangesList(): string[];
}
type RegisterResource = (this: MockMonitor, req: RegisterRequest, callback: (err: unknown, resp: unknown) => void) => Promise<void>;

const IGNORE_CHANGES = new Map<string, readonly string[]>();
// The recording mocks keep what a registration's inputs were, not its options; ignoreChanges
// travels in the same request, so the mock monitor's method is wrapped once to keep it too.
const monitorPrototype = MockMonitor.prototype as unknown as { registerResource: RegisterResource };
const registerResource = monitorPrototype.registerResource;
monitorPrototype.registerResource = function (this: MockMonitor, req, callback) {
    IGNORE_CHANGES.set(`${req.getType()}::${req.getName()}`, req.getIgnorechangesList());
    return registerResource.call(this, req, callback);
};

/** The ignoreChanges paths a resource was registered with in the latest mocked run. */
export function ignoreChangesOf(type: string, name: string): readonly string[] | undefined {
    return IGNORE_CHANGES.get(`${type}::${name}`);
}
