/**
 * Facts about cloud instance types that both the config edge and the components use. Pure: no
 * Pulumi, no zod.
 */

/** The CPU architecture a node runs, as an image platform names it. */
export type CpuArchitecture = "amd64" | "arm64";

/**
 * Whether an EC2 instance type is AWS Graviton (arm64): the a1 family, and every family with a
 * "g" among the letters after the generation digit (t4g, m7g, c6gn, r8gd, x2gd, im4gn, is4gen).
 * x86 families never carry one (m7i, c6in, r7iz, g5 — where "g" is the family, before the digit).
 */
export function isGravitonInstanceType(instanceType: string): boolean {
    const family = instanceType.split(".")[0];
    return family === "a1" || /^[a-z]+\d+[a-z]*g[a-z]*$/.test(family);
}

/** The architecture of an EC2 instance type's CPUs. */
export function ec2Architecture(instanceType: string): CpuArchitecture {
    return isGravitonInstanceType(instanceType) ? "arm64" : "amd64";
}
