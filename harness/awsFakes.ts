/**
 * Fake outputs and invoke results for the aws target: what AWS would compute and the program
 * reads back (ARNs, endpoints, the cluster security group, zone names, the ECR token).
 * Importing this module registers them.
 */
import { addFakeOutputs } from "./fakeOutputs";
import { addInvokeResults } from "./invokes";
import type { StackConfigMap } from "./stackFiles";

/** Account the fakes live in. */
export const FAKE_ACCOUNT = "123456789012";
/** Zones the fake region offers (unsorted, as the API may return them). */
export const FAKE_ZONES = ["eu-west-1b", "eu-west-1a", "eu-west-1c"];
/** What the fake ECR token invoke returns. */
export const FAKE_ECR_TOKEN = {
    proxyEndpoint: `https://${FAKE_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`,
    userName: "AWS",
    password: "fake-ecr-token-password",
};

/** Endpoint the fake cluster `name` reports. */
export function fakeEndpoint(name: string): string {
    return `https://${name}.gr7.eu-west-1.eks.amazonaws.com`;
}
/** OIDC issuer the fake cluster `name` reports. */
export function fakeIssuer(name: string): string {
    return `https://oidc.eks.eu-west-1.amazonaws.com/id/${name.toUpperCase()}`;
}
/** Security group EKS gives the fake cluster `name` (managed nodes carry it). */
export function fakeClusterSecurityGroup(name: string): string {
    return `sg-cluster-${name}`;
}
/** Base64 CA the fake cluster reports. */
export const FAKE_CA = Buffer.from("fake-ca-pem").toString("base64");

const arn = (service: string, kind: string) => (name: string) => ({ arn: `arn:aws:${service}:eu-west-1:${FAKE_ACCOUNT}:${kind}/${name}` });
/** The name AWS (here: the fakes) gives a resource registered as `name` without an explicit one. */
export function fakeName(name: string): string {
    return `${name}-fake`;
}
const named = (name: string, inputs: Record<string, unknown>) => ({ name: typeof inputs.name === "string" ? inputs.name : fakeName(name) });

addFakeOutputs({
    "aws:kms/key:Key": (name) => ({ arn: `arn:aws:kms:eu-west-1:${FAKE_ACCOUNT}:key/${name}`, keyId: name }),
    "aws:iam/role:Role": (name) => ({ arn: `arn:aws:iam::${FAKE_ACCOUNT}:role/${name}`, name }),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (_name, inputs) => ({
        arn: `arn:aws:iam::${FAKE_ACCOUNT}:oidc-provider/${String(inputs.url).replace(/^https:\/\//, "")}`,
    }),
    "aws:eks/cluster:Cluster": (name, inputs) => ({
        ...arn("eks", "cluster")(String(inputs.name)),
        endpoint: fakeEndpoint(String(inputs.name)),
        certificateAuthority: { data: FAKE_CA },
        identities: [{ oidcs: [{ issuer: fakeIssuer(name) }] }],
        vpcConfig: { ...(inputs.vpcConfig as Record<string, unknown>), clusterSecurityGroupId: fakeClusterSecurityGroup(name) },
    }),
    "aws:eks/nodeGroup:NodeGroup": (name) => ({ nodeGroupName: name }),
    "aws:ec2/launchTemplate:LaunchTemplate": () => ({ latestVersion: 1 }),
    "aws:ecr/repository:Repository": (_name, inputs) => ({
        repositoryUrl: `${FAKE_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/${String(inputs.name)}`,
    }),
    "aws:elasticache/subnetGroup:SubnetGroup": named,
    "aws:elasticache/replicationGroup:ReplicationGroup": (name) => ({ primaryEndpointAddress: `master.${name}.cache.amazonaws.com` }),
    "aws:rds/subnetGroup:SubnetGroup": named,
    "aws:rds/parameterGroup:ParameterGroup": named,
    "aws:rds/instance:Instance": (name) => ({ address: `${name}.rds.amazonaws.com` }),
});

addInvokeResults({
    "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
        names: [...FAKE_ZONES],
        zoneIds: FAKE_ZONES.map((_, i) => `euw1-az${i + 1}`),
        groupNames: [],
        id: "eu-west-1",
        region: "eu-west-1",
    }),
    "aws:ecr/getAuthorizationToken:getAuthorizationToken": () => ({
        ...FAKE_ECR_TOKEN,
        authorizationToken: "fake",
        expiresAt: "2026-11-25T12:00:00Z",
        id: "eu-west-1",
        region: "eu-west-1",
    }),
});

/** A stack config map with keys of the `platform:aws` block replaced (nested blocks merged one level). */
export function withAwsSettings(map: StackConfigMap, overrides: Record<string, unknown>): StackConfigMap {
    const block = JSON.parse(map.config["platform:aws"] ?? "{}") as Record<string, unknown>;
    const merged: Record<string, unknown> = { ...block };
    for (const [key, value] of Object.entries(overrides)) {
        const current = block[key];
        const isObject = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
        merged[key] = isObject(current) && isObject(value) ? { ...(current as object), ...(value as object) } : value;
    }
    return { ...map, config: { ...map.config, "platform:aws": JSON.stringify(merged) } };
}

/** The production shape of an AWS stack: three zones, a NAT gateway each, Multi-AZ data, a protected database. */
export function productionVariant(map: StackConfigMap): StackConfigMap {
    return withAwsSettings(map, {
        availabilityZones: 3,
        natGateways: "perZone",
        minClusterSize: 3,
        maxClusterSize: 10,
        desiredClusterSize: 3,
        eksNodeInstanceType: "m6i.large",
        adminRoleArns: [`arn:aws:iam::${FAKE_ACCOUNT}:role/platform-admin`, `arn:aws:iam::${FAKE_ACCOUNT}:role/ops/break-glass`],
        redis: { multiAz: true },
        postgres: { multiAz: true, deletionProtection: true, backupRetentionDays: 30 },
    });
}
