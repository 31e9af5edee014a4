/**
 * List prices the estimate uses: on-demand, USD, one region per cloud (AWS eu-west-1, Azure
 * westeurope), read from the public pricing pages named on each line. Refresh by hand: change
 * `usd` and `asOf` together. Items a committed stack does not use are here so nearby sizes work.
 */
import type { PriceLine, PriceTable } from "./prices";

const AS_OF = "2026-11";
const HOURS = "730 h/month, on-demand, no discounts";

const EC2 = "https://aws.amazon.com/ec2/pricing/on-demand/";
const EKS = "https://aws.amazon.com/eks/pricing/";
const VPC = "https://aws.amazon.com/vpc/pricing/";
const ELB = "https://aws.amazon.com/elasticloadbalancing/pricing/";
const ELASTICACHE = "https://aws.amazon.com/elasticache/pricing/";
const RDS = "https://aws.amazon.com/rds/postgresql/pricing/";
const AKS = "https://azure.microsoft.com/en-us/pricing/details/kubernetes-service/";
const VMS = "https://azure.microsoft.com/en-us/pricing/details/virtual-machines/linux/";
const AZ_LB = "https://azure.microsoft.com/en-us/pricing/details/load-balancer/";
const AZ_REDIS = "https://azure.microsoft.com/en-us/pricing/details/cache/";
const AZ_PG = "https://azure.microsoft.com/en-us/pricing/details/postgresql/flexible-server/";

function aws(item: string, label: string, unit: PriceLine["unit"], usd: number, source: string, assumption = HOURS): PriceLine {
    return { item: `aws:eu-west-1:${item}`, label, unit, usd, asOf: AS_OF, source, region: "eu-west-1 (Europe, Ireland)", assumption };
}

function azure(item: string, label: string, unit: PriceLine["unit"], usd: number, source: string, assumption = HOURS): PriceLine {
    return { item: `azure:westeurope:${item}`, label, unit, usd, asOf: AS_OF, source, region: "westeurope (West Europe)", assumption };
}

const GB_MONTH = "per provisioned GB and month";

/** The committed price table. */
export const PRICE_TABLE: PriceTable = {
    hoursPerMonth: 730,
    lines: [
        aws(
            "eks:cluster",
            "EKS control plane (standard support)",
            "hour",
            0.1,
            EKS,
            `${HOURS}; standard (not extended) Kubernetes version support`,
        ),
        aws("ec2:t3.small", "EC2 t3.small, Linux", "hour", 0.0228, EC2),
        aws("ec2:t3.medium", "EC2 t3.medium, Linux", "hour", 0.0456, EC2),
        aws("ec2:t3.large", "EC2 t3.large, Linux", "hour", 0.0912, EC2),
        aws("ec2:t3.xlarge", "EC2 t3.xlarge, Linux", "hour", 0.1824, EC2),
        aws("ec2:m6i.large", "EC2 m6i.large, Linux", "hour", 0.107, EC2),
        aws("ec2:m6i.xlarge", "EC2 m6i.xlarge, Linux", "hour", 0.214, EC2),
        aws("ec2:m7g.large", "EC2 m7g.large, Linux", "hour", 0.0892, EC2),
        aws("nat-gateway", "NAT gateway (hourly charge)", "hour", 0.048, VPC, `${HOURS}; data processed ($/GB) excluded`),
        aws("elb:nlb", "Network Load Balancer (hourly charge)", "hour", 0.0252, ELB, `${HOURS}; LCU charges excluded`),
        aws("elb:clb", "Classic Load Balancer (hourly charge)", "hour", 0.028, ELB, `${HOURS}; data processed excluded`),
        aws("elasticache:cache.t4g.micro", "ElastiCache Redis cache.t4g.micro node", "hour", 0.018, ELASTICACHE),
        aws("elasticache:cache.t4g.small", "ElastiCache Redis cache.t4g.small node", "hour", 0.036, ELASTICACHE),
        aws("elasticache:cache.t4g.medium", "ElastiCache Redis cache.t4g.medium node", "hour", 0.072, ELASTICACHE),
        aws("elasticache:cache.m7g.large", "ElastiCache Redis cache.m7g.large node", "hour", 0.175, ELASTICACHE),
        aws(
            "rds-postgres:db.t4g.micro",
            "RDS PostgreSQL db.t4g.micro, Single-AZ",
            "hour",
            0.018,
            RDS,
            `${HOURS}; Multi-AZ counts two instances`,
        ),
        aws(
            "rds-postgres:db.t4g.small",
            "RDS PostgreSQL db.t4g.small, Single-AZ",
            "hour",
            0.036,
            RDS,
            `${HOURS}; Multi-AZ counts two instances`,
        ),
        aws(
            "rds-postgres:db.t4g.medium",
            "RDS PostgreSQL db.t4g.medium, Single-AZ",
            "hour",
            0.072,
            RDS,
            `${HOURS}; Multi-AZ counts two instances`,
        ),
        aws(
            "rds-postgres:db.m7g.large",
            "RDS PostgreSQL db.m7g.large, Single-AZ",
            "hour",
            0.184,
            RDS,
            `${HOURS}; Multi-AZ counts two instances`,
        ),
        aws(
            "rds-storage:gp3",
            "RDS gp3 storage",
            "GB-month",
            0.127,
            RDS,
            `${GB_MONTH}; Multi-AZ doubles it; backups beyond the DB size excluded`,
        ),
        azure("aks:Free", "AKS control plane, Free tier", "hour", 0, AKS, `${HOURS}; no uptime SLA`),
        azure("aks:Standard", "AKS control plane, Standard tier", "hour", 0.1, AKS, `${HOURS}; Standard tier (uptime SLA)`),
        azure("aks:Premium", "AKS control plane, Premium tier", "hour", 0.6, AKS, `${HOURS}; Premium tier (long-term support)`),
        azure("vm:Standard_D2s_v5", "VM Standard_D2s_v5, Linux", "hour", 0.115, VMS, `${HOURS}; OS disk excluded`),
        azure("vm:Standard_D4s_v5", "VM Standard_D4s_v5, Linux", "hour", 0.23, VMS, `${HOURS}; OS disk excluded`),
        azure("vm:Standard_D8s_v5", "VM Standard_D8s_v5, Linux", "hour", 0.46, VMS, `${HOURS}; OS disk excluded`),
        azure("vm:Standard_B2s", "VM Standard_B2s, Linux", "hour", 0.048, VMS, `${HOURS}; OS disk excluded`),
        azure("lb:standard", "Standard Load Balancer (first 5 rules)", "hour", 0.025, AZ_LB, `${HOURS}; data processed ($/GB) excluded`),
        azure("redis:Basic_C0", "Azure Cache for Redis Basic C0", "hour", 0.022, AZ_REDIS),
        azure("redis:Basic_C1", "Azure Cache for Redis Basic C1", "hour", 0.055, AZ_REDIS),
        azure("redis:Standard_C0", "Azure Cache for Redis Standard C0 (primary + replica)", "hour", 0.055, AZ_REDIS),
        azure("redis:Standard_C1", "Azure Cache for Redis Standard C1 (primary + replica)", "hour", 0.139, AZ_REDIS),
        azure("redis:Standard_C2", "Azure Cache for Redis Standard C2 (primary + replica)", "hour", 0.226, AZ_REDIS),
        azure("redis:Premium_P1", "Azure Cache for Redis Premium P1 (primary + replica)", "hour", 0.556, AZ_REDIS),
        azure(
            "pg-flex:Standard_B1ms",
            "PostgreSQL Flexible Server Burstable B1ms",
            "hour",
            0.025,
            AZ_PG,
            `${HOURS}; zone-redundant HA counts two servers`,
        ),
        azure(
            "pg-flex:Standard_B2s",
            "PostgreSQL Flexible Server Burstable B2s",
            "hour",
            0.1,
            AZ_PG,
            `${HOURS}; zone-redundant HA counts two servers`,
        ),
        azure(
            "pg-flex:Standard_D2ds_v5",
            "PostgreSQL Flexible Server General Purpose D2ds_v5",
            "hour",
            0.194,
            AZ_PG,
            `${HOURS}; zone-redundant HA counts two servers`,
        ),
        azure(
            "pg-flex:Standard_D4ds_v5",
            "PostgreSQL Flexible Server General Purpose D4ds_v5",
            "hour",
            0.388,
            AZ_PG,
            `${HOURS}; zone-redundant HA counts two servers`,
        ),
        azure(
            "pg-flex-storage",
            "PostgreSQL Flexible Server storage",
            "GB-month",
            0.138,
            AZ_PG,
            `${GB_MONTH}; HA doubles it; backups beyond the DB size excluded`,
        ),
    ],
    machines: {
        "t3.small": { vcpu: 2, memoryGiB: 2, source: EC2 },
        "t3.medium": { vcpu: 2, memoryGiB: 4, source: EC2 },
        "t3.large": { vcpu: 2, memoryGiB: 8, source: EC2 },
        "t3.xlarge": { vcpu: 4, memoryGiB: 16, source: EC2 },
        "m6i.large": { vcpu: 2, memoryGiB: 8, source: EC2 },
        "m6i.xlarge": { vcpu: 4, memoryGiB: 16, source: EC2 },
        "m7g.large": { vcpu: 2, memoryGiB: 8, source: EC2 },
        Standard_B2s: { vcpu: 2, memoryGiB: 4, source: VMS },
        Standard_D2s_v5: { vcpu: 2, memoryGiB: 8, source: VMS },
        Standard_D4s_v5: { vcpu: 4, memoryGiB: 16, source: VMS },
        Standard_D8s_v5: { vcpu: 8, memoryGiB: 32, source: VMS },
    },
};
