/** AWS checks of checkov's EKS, ECR, ElastiCache and RDS sets beyond the first AWS rules. */
import type { ResourceRule } from "../rule";
import { isTrue, obj, str } from "../values";

/** The oldest EKS version still supported (checkov 3.3.30's CKV_AWS_339 list starts here). */
export const OLDEST_SUPPORTED_EKS_VERSION = "1.29";

function minorOf(version: string): number | undefined {
    const match = /^1\.(\d+)/.exec(version);
    return match ? Number(match[1]) : undefined;
}

/** The EKS control plane runs a version AWS still supports. */
export const eksSupportedVersion: ResourceRule = {
    kind: "resource",
    name: "aws-eks-supported-version",
    description:
        "A Kubernetes version past EKS support gets no security patches and is force-upgraded by AWS on its own schedule, in the middle of someone's day (checkov CKV_AWS_339).",
    remediation: `set platform:aws.kubernetesVersion to ${OLDEST_SUPPORTED_EKS_VERSION} or newer (upgrade one minor at a time)`,
    types: ["aws:eks/cluster:Cluster"],
    check: ({ props }) => {
        const version = str(props.version);
        if (version === undefined) return [];
        const minor = minorOf(version);
        const oldest = minorOf(OLDEST_SUPPORTED_EKS_VERSION) ?? 0;
        return minor !== undefined && minor >= oldest
            ? []
            : [`Kubernetes ${version} is older than ${OLDEST_SUPPORTED_EKS_VERSION}, out of EKS support`];
    },
};

/** Managed node groups accept no SSH. */
export const eksNodeGroupNoRemoteAccess: ResourceRule = {
    kind: "resource",
    name: "aws-eks-node-group-no-ssh",
    description:
        "remoteAccess opens SSH to the nodes, from 0.0.0.0/0 unless source security groups are named; nodes are cattle reached through SSM or kubectl debug (checkov CKV_AWS_100).",
    remediation: "remove remoteAccess from the node group",
    types: ["aws:eks/nodeGroup:NodeGroup"],
    check: ({ props }) => (Object.keys(obj(props.remoteAccess)).length > 0 ? ["the node group allows SSH (remoteAccess is set)"] : []),
};

/** ECR repositories are encrypted with a KMS key. */
export const ecrKmsEncryption: ResourceRule = {
    kind: "resource",
    name: "aws-ecr-kms-encryption",
    description:
        "With KMS encryption, reading image layers also needs the key, so access is logged in CloudTrail and revocable by key policy; AES256 leaves it to the repository policy alone (checkov CKV_AWS_136).",
    remediation: 'set encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: <the stack key> }]',
    types: ["aws:ecr/repository:Repository"],
    check: ({ props }) => {
        const configs = Array.isArray(props.encryptionConfigurations) ? props.encryptionConfigurations.map(obj) : [];
        return configs.some((c) => str(c.encryptionType) === "KMS") ? [] : ["images are not encrypted with KMS"];
    },
};

const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";

/** Redis requires an AUTH token over TLS. */
export const elasticacheAuthToken: ResourceRule = {
    kind: "resource",
    name: "aws-elasticache-auth-token",
    description:
        "Without an AUTH token anything that reaches the Redis port in the VPC can read and write every key; the token only protects anything over TLS (checkov CKV_AWS_31).",
    remediation: "set transitEncryptionEnabled: true and authToken to a generated secret",
    types: [REPLICATION_GROUP],
    check: ({ props }) =>
        isTrue(props.transitEncryptionEnabled) && (str(props.authToken) ?? "") !== ""
            ? []
            : ["Redis accepts clients without an AUTH token over TLS"],
};

/** Redis data at rest is encrypted with the stack's own KMS key. */
export const elasticacheCmk: ResourceRule = {
    kind: "resource",
    name: "aws-elasticache-cmk",
    description:
        "At-rest encryption with the AWS-owned key cannot be audited or revoked; the stack's own key makes every snapshot read a logged, revocable grant (checkov CKV_AWS_191).",
    remediation: "set kmsKeyId to the stack's KMS key ARN (with atRestEncryptionEnabled: true)",
    types: [REPLICATION_GROUP],
    check: ({ props }) =>
        (str(props.kmsKeyId) ?? "") !== "" ? [] : ["Redis at rest is not encrypted with a customer managed key (kmsKeyId is unset)"],
};

const RDS_INSTANCE = "aws:rds/instance:Instance";

/** PostgreSQL minor versions (security fixes) are applied automatically. */
export const rdsAutoMinorUpgrade: ResourceRule = {
    kind: "resource",
    name: "aws-rds-auto-minor-upgrade",
    description:
        "PostgreSQL minor releases carry the security fixes; without automatic minor upgrades an instance keeps known CVEs until someone remembers (checkov CKV_AWS_226).",
    remediation: "set autoMinorVersionUpgrade: true",
    types: [RDS_INSTANCE],
    check: ({ props }) =>
        props.autoMinorVersionUpgrade === false || props.autoMinorVersionUpgrade === "false" ? ["autoMinorVersionUpgrade is false"] : [],
};

/** Snapshots carry the instance's tags. */
export const rdsCopyTagsToSnapshot: ResourceRule = {
    kind: "resource",
    name: "aws-rds-copy-tags-to-snapshot",
    description:
        "Snapshots without the instance's tags lose their owner, cost centre and data classification, and tag-based access policies stop protecting them (checkov CKV2_AWS_60).",
    remediation: "set copyTagsToSnapshot: true",
    types: [RDS_INSTANCE],
    check: ({ props }) => (isTrue(props.copyTagsToSnapshot) ? [] : ["copyTagsToSnapshot is not true"]),
};

/** Every AWS rule added with the coverage matrix. */
export const MORE_AWS_RULES = [
    eksSupportedVersion,
    eksNodeGroupNoRemoteAccess,
    ecrKmsEncryption,
    elasticacheAuthToken,
    elasticacheCmk,
    rdsAutoMinorUpgrade,
    rdsCopyTagsToSnapshot,
] as const;
