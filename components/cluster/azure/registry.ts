/**
 * The container registry: ACR without an admin user, and AcrPull for the cluster's kubelet
 * identity (the identity nodes pull with; the control-plane identity is the usual mistake).
 * Pushes authenticate with the deploying identity's Azure AD token (see docs/azure.md).
 */
import * as authorization from "@pulumi/azure-native/authorization";
import * as containerregistry from "@pulumi/azure-native/containerregistry";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { BUILT_IN_ROLES, roleDefinitionId } from "./roles";
import type { AzureSettings } from "../../../model/targets";

/**
 * A registry name from a seed (the resource group id): ACR names are global, 5-50 alphanumerics,
 * so "platform" plus 16 hex digits of a hash, stable for the life of the resource group.
 */
export function registryName(seed: string): string {
    return `platform${createHash("sha256").update(seed).digest("hex").slice(0, 16)}`;
}

/** Tag naming the stack a registry belongs to (docs/azure.md looks the registry up by it). */
export const STACK_TAG = "platform-stack";

/** The managed cluster's identity profile, as far as this module reads it. */
export type IdentityProfile = Readonly<Record<string, { readonly objectId?: string } | undefined>> | undefined;

/** Object id of the kubelet identity in a managed cluster's identity profile. */
export function kubeletObjectId(profile: IdentityProfile): string {
    const objectId = profile?.kubeletidentity?.objectId;
    if (objectId === undefined || objectId === "")
        throw new Error(
            "the managed cluster reports no kubelet identity (identityProfile.kubeletidentity.objectId); AcrPull cannot be granted",
        );
    return objectId;
}

/** Arguments of {@link AzureRegistry}. */
export interface AzureRegistryArgs {
    /** Stack name, tagged on the registry so `az acr list` finds it before the first stack output exists. */
    readonly stack: string;
    readonly resourceGroupName: pulumi.Input<string>;
    readonly resourceGroupId: pulumi.Output<string>;
    readonly sku: AzureSettings["registrySku"];
    readonly subscriptionId: pulumi.Output<string>;
    readonly kubeletIdentity: pulumi.Output<IdentityProfile>;
    /** Image names, one repository each. */
    readonly imageNames: readonly string[];
}

/** ACR and the kubelet's pull grant. */
export class AzureRegistry extends pulumi.ComponentResource {
    /** Registry host ("<name>.azurecr.io"), the registryUrl output. */
    public readonly loginServer: pulumi.Output<string>;
    /** Repository (login server/image name) by image name. */
    public readonly repositories: Readonly<Record<string, pulumi.Output<string>>>;
    /** AcrPull of the kubelet identity: pods cannot pull before it exists. */
    public readonly pullGrant: authorization.RoleAssignment;

    constructor(name: string, args: AzureRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:AzureRegistry", name, {}, opts);
        const registry = new containerregistry.Registry(
            `${name}-acr`,
            {
                resourceGroupName: args.resourceGroupName,
                registryName: args.resourceGroupId.apply(registryName),
                sku: { name: args.sku },
                adminUserEnabled: false,
                anonymousPullEnabled: false,
                tags: { [STACK_TAG]: args.stack },
            },
            { parent: this },
        );
        this.pullGrant = new authorization.RoleAssignment(
            `${name}-acr-pull`,
            {
                principalId: args.kubeletIdentity.apply(kubeletObjectId),
                principalType: "ServicePrincipal",
                roleDefinitionId: args.subscriptionId.apply((id) => roleDefinitionId(id, BUILT_IN_ROLES.acrPull)),
                scope: registry.id,
            },
            { parent: this },
        );
        this.loginServer = registry.loginServer;
        const repositories: Record<string, pulumi.Output<string>> = {};
        for (const image of args.imageNames) repositories[image] = pulumi.interpolate`${registry.loginServer}/${image}`;
        this.repositories = repositories;
        this.registerOutputs({ loginServer: this.loginServer });
    }
}
