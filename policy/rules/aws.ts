/** AWS: the EKS control plane and nodes, ECR, RDS and ElastiCache (checkov EKS/ECR/RDS/ElastiCache sets). */
import type { ResourceRule, StackFinding, StackResourceView, StackRule } from "../rule";
import { admitsEveryone, arr, isTrue, num, obj, str, strings } from "../values";

const EKS_CLUSTER = "aws:eks/cluster:Cluster";

/** The EKS API endpoint is private, or public only to listed CIDRs that are not the internet. */
export const eksEndpointNotPublic: ResourceRule = {
    kind: "resource",
    name: "aws-eks-endpoint-not-public",
    description:
        "An EKS API endpoint open to 0.0.0.0/0 (the default when publicAccessCidrs is unset) exposes the cluster's front door to credential stuffing and any future API-server CVE (checkov CKV_AWS_38/39).",
    remediation:
        "set vpcConfig.endpointPublicAccess: false, or vpcConfig.publicAccessCidrs to your operators' CIDRs (platform:aws.endpointPublicAccessCidrs), never 0.0.0.0/0",
    types: [EKS_CLUSTER],
    check: ({ props }) => {
        const vpc = obj(props.vpcConfig);
        if (vpc.endpointPublicAccess === false || vpc.endpointPublicAccess === "false") return [];
        const cidrs = strings(vpc.publicAccessCidrs);
        if (cidrs.length === 0) return ["the API endpoint is public and publicAccessCidrs is unset (AWS defaults it to 0.0.0.0/0)"];
        if (admitsEveryone(cidrs)) return [`the API endpoint is public to everyone (publicAccessCidrs: ${cidrs.join(", ")})`];
        return [];
    },
};

/** Kubernetes Secrets are envelope-encrypted with a KMS key. */
export const eksSecretsEncryption: ResourceRule = {
    kind: "resource",
    name: "aws-eks-secrets-encryption",
    description:
        "Without envelope encryption, Kubernetes Secrets sit in etcd protected only by AWS's disk encryption; a KMS key adds an access-controlled, audited layer and a way to revoke (checkov CKV_AWS_58).",
    remediation: 'set encryptionConfig: { provider: { keyArn: <KMS key ARN> }, resources: ["secrets"] }',
    types: [EKS_CLUSTER],
    check: ({ props }) => {
        // Provider v6 takes a one-element list, v7 an object: accept both shapes.
        const configs = Array.isArray(props.encryptionConfig) ? props.encryptionConfig.map(obj) : [obj(props.encryptionConfig)];
        const ok = configs.some((c) => strings(c.resources).includes("secrets") && (str(obj(c.provider).keyArn) ?? "") !== "");
        return ok
            ? []
            : ["Kubernetes secrets are not encrypted with a KMS key (encryptionConfig with resources [secrets] and provider.keyArn)"];
    },
};

/** Control plane log types that must reach CloudWatch. */
export const REQUIRED_EKS_LOG_TYPES: readonly string[] = ["api", "audit", "authenticator"];

/** The control plane logs who called the API, what changed, and how callers authenticated. */
export const eksControlPlaneLogging: ResourceRule = {
    kind: "resource",
    name: "aws-eks-control-plane-logging",
    description:
        "Without api, audit and authenticator logs there is no record of who changed what in the cluster; incident response starts blind (checkov CKV_AWS_37).",
    remediation: `set enabledClusterLogTypes to include ${REQUIRED_EKS_LOG_TYPES.join(", ")}`,
    types: [EKS_CLUSTER],
    check: ({ props }) => {
        const enabled = strings(props.enabledClusterLogTypes);
        const missing = REQUIRED_EKS_LOG_TYPES.filter((t) => !enabled.includes(t));
        return missing.length === 0 ? [] : [`control plane logs ${missing.join(", ")} are off`];
    },
};

/** Subnets a node group's subnetIds point at: by id in the subnet's outputs, or by the property's dependencies. */
export function subnetsOf(nodeGroup: StackResourceView, subnets: readonly StackResourceView[]): StackResourceView[] {
    const ids = strings(nodeGroup.props.subnetIds);
    const fromDeps = nodeGroup.propertyDependencies.subnetIds ?? [];
    return subnets.filter((s) => {
        const id = str(s.props.id);
        return (id !== undefined && ids.includes(id)) || fromDeps.includes(s.urn);
    });
}

/** Node groups launch only into subnets that never hand out public IPs. */
export const eksNodesPrivateSubnets: StackRule = {
    kind: "stack",
    name: "aws-eks-nodes-private-subnets",
    description:
        "A node with a public IP is reachable from the internet around every load balancer and NetworkPolicy; nodes belong in private subnets that egress through NAT (checkov CKV_AWS_130 for subnets).",
    remediation: "give node groups only subnets with mapPublicIpOnLaunch: false (the private subnets, routed through NAT)",
    check: (resources) => {
        const subnets = resources.filter((r) => r.type === "aws:ec2/subnet:Subnet");
        return resources
            .filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup")
            .flatMap((ng): StackFinding[] => {
                if (strings(ng.props.subnetIds).length === 0) return [{ urn: ng.urn, message: `node group ${ng.name} names no subnets` }];
                const publicOnes = subnetsOf(ng, subnets).filter((s) => isTrue(s.props.mapPublicIpOnLaunch));
                return publicOnes.map((s) => ({
                    urn: ng.urn,
                    message: `node group ${ng.name} launches into subnet ${s.name}, which maps public IPs on launch`,
                }));
            });
    },
};

const ECR_REPOSITORY = "aws:ecr/repository:Repository";

/** Images are scanned for known vulnerabilities when pushed. */
export const ecrScanOnPush: ResourceRule = {
    kind: "resource",
    name: "aws-ecr-scan-on-push",
    description:
        "Scanning on push reports known CVEs in every image before it is deployed, at no cost for basic scanning (checkov CKV_AWS_163).",
    remediation: "set imageScanningConfiguration: { scanOnPush: true }",
    types: [ECR_REPOSITORY],
    check: ({ props }) => (isTrue(obj(props.imageScanningConfiguration).scanOnPush) ? [] : ["images are not scanned on push"]),
};

/** Why an ECR repository's tags can be overwritten, or nothing: exclusions must each name one exact tag. */
function mutableTagProblems(props: Record<string, unknown>): string[] {
    const mutability = str(props.imageTagMutability);
    if (mutability === "IMMUTABLE") return [];
    if (mutability !== "IMMUTABLE_WITH_EXCLUSION") return [`imageTagMutability is ${mutability ?? "unset (MUTABLE)"}`];
    const filters = arr(props.imageTagMutabilityExclusionFilters).map((f) => str(obj(f).filter) ?? "");
    if (filters.length === 0) return [];
    // A wildcard exempts a family of tags (release-*, *): only single named tags such as a build cache may move.
    return filters
        .filter((f) => f === "" || /[*?]/.test(f))
        .map((f) => `exclusion filter "${f}" makes every tag it matches mutable, not one named tag`);
}

/** Tags cannot be overwritten. */
export const ecrImmutableTags: ResourceRule = {
    kind: "resource",
    name: "aws-ecr-immutable-tags",
    description:
        "With mutable tags anyone who can push can swap the content behind a released tag; immutable tags make a tag mean one image forever (checkov CKV_AWS_51). An exclusion may exempt one exact tag (the build cache), never a wildcard.",
    remediation: 'set imageTagMutability: "IMMUTABLE", or IMMUTABLE_WITH_EXCLUSION with exact-tag filters only',
    types: [ECR_REPOSITORY],
    check: ({ props }) => mutableTagProblems(props),
};

const RDS_INSTANCE = "aws:rds/instance:Instance";

/** Database storage, snapshots and backups are encrypted. */
export const rdsEncrypted: ResourceRule = {
    kind: "resource",
    name: "aws-rds-encrypted",
    description:
        "An unencrypted RDS instance leaves data, automated backups and snapshots readable to anyone who gets a snapshot shared or copied; encryption cannot be turned on later without a migration (checkov CKV_AWS_16).",
    remediation: "set storageEncrypted: true (and kmsKeyId to the stack's key)",
    types: [RDS_INSTANCE],
    check: ({ props }) => (isTrue(props.storageEncrypted) ? [] : ["storage is not encrypted (storageEncrypted is not true)"]),
};

/** The database has no public address. */
export const rdsNotPublic: ResourceRule = {
    kind: "resource",
    name: "aws-rds-not-public",
    description:
        "A publicly accessible database gets a public DNS name and address; one security-group mistake away from the internet (checkov CKV_AWS_17).",
    remediation: "set publiclyAccessible: false and place the instance in private subnets",
    types: [RDS_INSTANCE],
    check: ({ props }) => (isTrue(props.publiclyAccessible) ? ["publiclyAccessible is true"] : []),
};

/** Automated backups are kept. */
export const rdsBackups: ResourceRule = {
    kind: "resource",
    name: "aws-rds-backed-up",
    description:
        "With a backup retention of 0 there are no automated backups and no point-in-time recovery; a bad migration or deletion is permanent (checkov CKV_AWS_133).",
    remediation: "set backupRetentionPeriod to at least 1 day (platform:aws.postgres.backupRetentionDays; 7 or more for production)",
    types: [RDS_INSTANCE],
    check: ({ props }) => {
        const days = num(props.backupRetentionPeriod);
        if (days === undefined) return ["backupRetentionPeriod is unset (the engine default may be 0)"];
        return days >= 1 ? [] : [`backupRetentionPeriod is ${days}: no automated backups`];
    },
};

const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";

/** Redis traffic is TLS. */
export const elasticacheTransitEncryption: ResourceRule = {
    kind: "resource",
    name: "aws-elasticache-transit-encryption",
    description:
        "Without in-transit encryption Redis commands, cached data and the AUTH token cross the VPC in clear text (checkov CKV_AWS_30).",
    remediation: "set transitEncryptionEnabled: true (clients connect with TLS)",
    types: [REPLICATION_GROUP],
    check: ({ props }) => (isTrue(props.transitEncryptionEnabled) ? [] : ["in-transit encryption is off"]),
};

/** Redis data on disk (snapshots, swap) is encrypted. */
export const elasticacheAtRestEncryption: ResourceRule = {
    kind: "resource",
    name: "aws-elasticache-at-rest-encryption",
    description:
        "Without at-rest encryption Redis snapshots and swap hold cached data in clear; it cannot be turned on for an existing group (checkov CKV_AWS_29).",
    remediation: "set atRestEncryptionEnabled: true (and kmsKeyId to the stack's key)",
    types: [REPLICATION_GROUP],
    check: ({ props }) => (isTrue(props.atRestEncryptionEnabled) ? [] : ["at-rest encryption is off"]),
};

/** Every AWS rule. */
export const AWS_RULES = [
    eksEndpointNotPublic,
    eksSecretsEncryption,
    eksControlPlaneLogging,
    eksNodesPrivateSubnets,
    ecrScanOnPush,
    ecrImmutableTags,
    rdsEncrypted,
    rdsNotPublic,
    rdsBackups,
    elasticacheTransitEncryption,
    elasticacheAtRestEncryption,
] as const;
