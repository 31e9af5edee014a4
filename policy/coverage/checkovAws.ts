/**
 * checkov's AWS (EKS, ECR, ElastiCache, RDS) checks for the resource types this program creates, as
 * `checkov --list --framework terraform` prints them for 3.3.30. checkov scans Terraform,
 * CloudFormation, ARM and Bicep, not Pulumi programs, so the pack's rules stand in for them: they
 * read the same settings on the resources the program registers.
 * CKV2_AWS_37 and CKV2_AWS_75 are left out: checkov lists them for every resource type, and they
 * check CodeCommit approval rules and open CORS policies.
 */
import { covered, notApplicable, notEnforced, Scanner } from "./matrix";

/** The checks and the pack's answers. */
export const CHECKOV_AWS: Scanner = {
    id: "checkov-aws",
    name: "checkov AWS (EKS, ECR, ElastiCache, RDS) checks",
    source: "checkov 3.3.30 (checkov --list --framework terraform; bridgecrewio/checkov checkov/terraform/checks)",
    entries: [
        notEnforced(
            "CKV2_AWS_30",
            "Ensure Postgres RDS as aws_db_instance has Query Logging enabled",
            "query logging (log_statement) writes every statement, with its values, to CloudWatch: a cost and data-exposure choice the program leaves off",
            "RDS",
        ),
        covered(
            "CKV2_AWS_60",
            "Ensure RDS instance with copy tags to snapshots is enabled",
            ["aws-rds-copy-tags-to-snapshot"],
            undefined,
            "RDS",
        ),
        notEnforced(
            "CKV2_AWS_69",
            "Ensure AWS RDS database instance configured with encryption in transit",
            "the program sets rds.force_ssl=1 in the instance's parameter group (test/unit/aws.stack.test.ts asserts it); no pack rule follows the instance to its parameter group yet",
            "RDS",
        ),
        covered("CKV_AWS_16", "Ensure all data stored in the RDS is securely encrypted at rest", ["aws-rds-encrypted"], undefined, "RDS"),
        covered("CKV_AWS_17", "Ensure all data stored in RDS is not publicly accessible", ["aws-rds-not-public"], undefined, "RDS"),
        notEnforced(
            "CKV_AWS_118",
            "Ensure that enhanced monitoring is enabled for Amazon RDS instances",
            "enhanced monitoring needs an IAM monitoring role and costs per instance; not set by the program yet",
            "RDS",
        ),
        notEnforced(
            "CKV_AWS_129",
            "Ensure that respective logs of Amazon Relational Database Service (Amazon RDS) are enabled",
            "PostgreSQL logs are not exported to CloudWatch yet (enabledCloudwatchLogsExports)",
            "RDS",
        ),
        covered("CKV_AWS_133", "Ensure that RDS instances has backup policy", ["aws-rds-backed-up"], undefined, "RDS"),
        notEnforced(
            "CKV_AWS_157",
            "Ensure that RDS instances have Multi-AZ enabled",
            "a per-environment choice: platform:aws.postgres.multiAz (off in staging, where one zone is enough)",
            "RDS",
        ),
        notEnforced(
            "CKV_AWS_161",
            "Ensure RDS database has IAM authentication enabled",
            "the app logs in with a generated password from a mounted Secret; IAM authentication needs tokens the sample app does not fetch",
            "RDS",
        ),
        notEnforced(
            "CKV_AWS_211",
            "Ensure RDS uses a modern CaCert",
            "new instances get AWS's current default CA (rds-ca-rsa2048-g1), but the program does not pin caCertIdentifier, which checkov requires",
            "RDS",
        ),
        covered(
            "CKV_AWS_226",
            "Ensure DB instance gets all minor upgrades automatically",
            ["aws-rds-auto-minor-upgrade"],
            undefined,
            "RDS",
        ),
        notApplicable(
            "CKV_AWS_250",
            "Ensure that RDS PostgreSQL instances use a non vulnerable version with the log_fdw extension (https://aws.amazon.com/security/security-bulletins/AWS-2022-004/)",
            "flags RDS PostgreSQL minor versions with the vulnerable log_fdw extension (2022); the program pins a major version, RDS picks a current minor, and minor upgrades are automatic (aws-rds-auto-minor-upgrade)",
            "RDS",
        ),
        notEnforced(
            "CKV_AWS_293",
            "Ensure that AWS database instances have deletion protection enabled",
            "a per-environment choice: platform:aws.postgres.deletionProtection (off in staging so that destroy works; on keeps a final snapshot)",
            "RDS",
        ),
        notEnforced(
            "CKV_AWS_353",
            "Ensure that RDS instances have performance insights enabled",
            "Performance Insights is a per-instance cost the program does not turn on yet",
            "RDS",
        ),
        notEnforced(
            "CKV_AWS_354",
            "Ensure RDS Performance Insights are encrypted using KMS CMKs",
            "Performance Insights is off (CKV_AWS_353), so there is nothing to encrypt",
            "RDS",
        ),
        notApplicable(
            "CKV_AWS_388",
            "Ensure AWS Aurora PostgreSQL is not exposed to local file read vulnerability",
            "concerns Aurora PostgreSQL; the program deploys RDS for PostgreSQL",
            "RDS",
        ),
        covered("CKV_AWS_51", "Ensure ECR Image Tags are immutable", ["aws-ecr-immutable-tags"], undefined, "ECR"),
        covered("CKV_AWS_136", "Ensure that ECR repositories are encrypted using KMS", ["aws-ecr-kms-encryption"], undefined, "ECR"),
        covered("CKV_AWS_163", "Ensure ECR image scanning on push is enabled", ["aws-ecr-scan-on-push"], undefined, "ECR"),
        covered(
            "CKV_AWS_37",
            "Ensure Amazon EKS control plane logging is enabled for all log types",
            ["aws-eks-control-plane-logging"],
            "the rule requires api, audit and authenticator (who did what, and how they signed in); checkov wants all five types, and controllerManager and scheduler logs add CloudWatch cost without an audit trail",
            "EKS",
        ),
        covered(
            "CKV_AWS_38",
            "Ensure Amazon EKS public endpoint not accessible to 0.0.0.0/0",
            ["aws-eks-endpoint-not-public"],
            undefined,
            "EKS",
        ),
        covered(
            "CKV_AWS_39",
            "Ensure Amazon EKS public endpoint disabled",
            ["aws-eks-endpoint-not-public"],
            "the rule allows a public endpoint limited to platform:aws.endpointPublicAccessCidrs (CKV_AWS_38); the endpoint is private unless a stack lists CIDRs",
            "EKS",
        ),
        covered("CKV_AWS_58", "Ensure EKS Cluster has Secrets Encryption Enabled", ["aws-eks-secrets-encryption"], undefined, "EKS"),
        covered(
            "CKV_AWS_339",
            "Ensure EKS clusters run on a supported Kubernetes version",
            ["aws-eks-supported-version"],
            "the rule requires 1.29 or newer, the oldest version checkov 3.3.30 lists as supported",
            "EKS",
        ),
        covered(
            "CKV_AWS_100",
            "Ensure AWS EKS node group does not have implicit SSH access from 0.0.0.0/0",
            ["aws-eks-node-group-no-ssh"],
            undefined,
            "EKS",
        ),
        notApplicable(
            "CKV_AWS_134",
            "Ensure that Amazon ElastiCache Redis clusters have automatic backup turned on",
            "checks aws_elasticache_cluster; the program creates a replication group (which sets snapshotRetentionLimit, autoMinorVersionUpgrade and its own subnet group)",
            "ElastiCache",
        ),
        notApplicable(
            "CKV_AWS_322",
            "Ensure ElastiCache for Redis cache clusters have auto minor version upgrades enabled",
            "checks aws_elasticache_cluster; the program creates a replication group (which sets snapshotRetentionLimit, autoMinorVersionUpgrade and its own subnet group)",
            "ElastiCache",
        ),
        notApplicable(
            "CKV_AWS_323",
            "Ensure ElastiCache clusters do not use the default subnet group",
            "checks aws_elasticache_cluster; the program creates a replication group (which sets snapshotRetentionLimit, autoMinorVersionUpgrade and its own subnet group)",
            "ElastiCache",
        ),
        notEnforced(
            "CKV2_AWS_50",
            "Ensure AWS ElastiCache Redis cluster with Multi-AZ Automatic Failover feature set to enabled",
            "a per-environment choice: platform:aws.redis.multiAz (off in staging: one node, no failover)",
            "ElastiCache",
        ),
        covered(
            "CKV_AWS_29",
            "Ensure all data stored in the ElastiCache Replication Group is securely encrypted at rest",
            ["aws-elasticache-at-rest-encryption"],
            undefined,
            "ElastiCache",
        ),
        covered(
            "CKV_AWS_30",
            "Ensure all data stored in the ElastiCache Replication Group is securely encrypted at transit",
            ["aws-elasticache-transit-encryption"],
            undefined,
            "ElastiCache",
        ),
        covered(
            "CKV_AWS_31",
            "Ensure all data stored in the ElastiCache Replication Group is securely encrypted at transit and has auth token",
            ["aws-elasticache-auth-token"],
            undefined,
            "ElastiCache",
        ),
        covered(
            "CKV_AWS_191",
            "Ensure ElastiCache replication group is encrypted by KMS using a customer managed Key (CMK)",
            ["aws-elasticache-cmk"],
            undefined,
            "ElastiCache",
        ),
    ],
};
