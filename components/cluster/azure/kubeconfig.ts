/**
 * The kubeconfig of the cluster: the AAD user credentials (local accounts are off), in exec
 * format, which runs kubelogin to get a token (see docs/azure.md).
 */
import * as containerservice from "@pulumi/azure-native/containerservice";
import * as pulumi from "@pulumi/pulumi";

/** What listManagedClusterUserCredentials returns, as far as this module reads it. */
export interface CredentialResults {
    readonly kubeconfigs: readonly { readonly name?: string; readonly value?: string }[];
}

/** The first kubeconfig of the credential results, base64-decoded. */
export function decodeKubeconfig(results: CredentialResults): string {
    const encoded = results.kubeconfigs[0]?.value;
    if (encoded === undefined || encoded === "")
        throw new Error("AKS returned no user kubeconfig; check that the deploying identity may list cluster user credentials");
    return Buffer.from(encoded, "base64").toString("utf8");
}

/**
 * The user kubeconfig of a managed cluster, secret. Format "exec" needs kubelogin on the PATH of
 * whoever uses it (the Kubernetes provider during `pulumi up` included).
 */
export function clusterUserKubeconfig(
    resourceGroupName: pulumi.Input<string>,
    clusterName: pulumi.Input<string>,
    opts: pulumi.InvokeOutputOptions,
): pulumi.Output<string> {
    const credentials = containerservice.listManagedClusterUserCredentialsOutput(
        { resourceGroupName, resourceName: clusterName, format: "exec" },
        opts,
    );
    return pulumi.secret(credentials.apply(decodeKubeconfig));
}
