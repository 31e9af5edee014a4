/**
 * Facts derived from the region alone (pure): the ARN partition and the DNS suffix of service
 * principals, so managed policy ARNs and trust policies are right in GovCloud and China too.
 */

/** ARN partition and service-principal DNS suffix of a region. */
export interface Partition {
    /** "aws", "aws-us-gov", "aws-cn", "aws-iso" or "aws-iso-b". */
    readonly partition: string;
    /** "amazonaws.com", or "amazonaws.com.cn" in China. */
    readonly dnsSuffix: string;
}

/** The partition a region code belongs to. */
export function partitionOf(region: string): Partition {
    if (region.startsWith("cn-")) return { partition: "aws-cn", dnsSuffix: "amazonaws.com.cn" };
    if (region.startsWith("us-gov-")) return { partition: "aws-us-gov", dnsSuffix: "amazonaws.com" };
    if (region.startsWith("us-isob-")) return { partition: "aws-iso-b", dnsSuffix: "sc2s.sgov.gov" };
    if (region.startsWith("us-iso-")) return { partition: "aws-iso", dnsSuffix: "c2s.ic.gov" };
    return { partition: "aws", dnsSuffix: "amazonaws.com" };
}

/** ARN of an AWS managed IAM policy, e.g. "AmazonEKSWorkerNodePolicy" or "service-role/AmazonEBSCSIDriverPolicy". */
export function managedPolicyArn(partition: Partition, name: string): string {
    return `arn:${partition.partition}:iam::aws:policy/${name}`;
}

/** A trust policy letting an AWS service (e.g. "eks", "ec2") assume a role. */
export function serviceTrustPolicy(partition: Partition, service: string, actions: readonly string[] = ["sts:AssumeRole"]): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: `${service}.${partition.dnsSuffix}` }, Action: [...actions] }],
    });
}
