/**
 * AWS naming rules that both the config edge and the AWS components need: the edge refuses a
 * name AWS would refuse (before anything is registered), and the components derive the same
 * names from the same functions. Pure: no Pulumi, no zod.
 */

/** Longest EKS cluster name AWS accepts. */
export const EKS_CLUSTER_NAME_MAX = 100;

/**
 * The EKS cluster name of a stack: "<project>-<stack>", reduced to what EKS accepts (letters,
 * digits, '-' and '_', starting with a letter or digit). It may be longer than
 * {@link EKS_CLUSTER_NAME_MAX}: the config edge refuses such a stack name before a deploy.
 */
export function eksClusterName(project: string, stack: string): string {
    return `${project}-${stack}`.replace(/[^A-Za-z0-9_-]/g, "-").replace(/^[^A-Za-z0-9]+/, "");
}

/**
 * An IAM role ARN in any partition, with optional path: role names and path segments use the
 * characters IAM allows (letters, digits and +=,.@_-), a name at most 64 long.
 */
export const IAM_ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

/** Account and role name of an IAM role ARN, or undefined when it is not one ({@link IAM_ROLE_ARN}). */
export function iamRoleArnParts(roleArn: string): { readonly account: string; readonly name: string } | undefined {
    const match = IAM_ROLE_ARN.exec(roleArn);
    return match ? { account: match[1], name: match[2] } : undefined;
}
