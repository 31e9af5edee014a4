/** Built-in Azure role definitions the target assigns, and how to address them. */

/** Built-in role ids (the same in every tenant). */
export const BUILT_IN_ROLES = {
    /** Pull images from a registry. */
    acrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
    /** Push and pull images (what a CI identity needs; assigned outside this program, see docs/azure.md). */
    acrPush: "8311e382-0749-4cb8-b61a-304f252e45ec",
    /** Join subnets and manage load balancers in them (AKS with a bring-your-own VNet needs it on the VNet). */
    networkContributor: "4d97b98b-1d4f-4787-a291-c67834d212e7",
    /** Full Kubernetes access through Azure RBAC (the deploying identity needs it to deploy the app). */
    aksRbacClusterAdmin: "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
} as const;

/** The subscription-scoped id of a built-in role, as role assignments take it. */
export function roleDefinitionId(subscriptionId: string, roleId: string): string {
    if (!/^[0-9a-f-]{36}$/.test(subscriptionId)) throw new Error(`roleDefinitionId: "${subscriptionId}" is not a subscription id (a GUID)`);
    return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`;
}
