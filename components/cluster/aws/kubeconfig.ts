/**
 * The kubeconfig of an EKS cluster. It holds no credential: the client runs
 * `aws eks get-token` for a short-lived token with whatever AWS identity it has.
 */

/** What a kubeconfig needs to reach and trust an EKS API server. */
export interface EksKubeconfigInput {
    readonly clusterName: string;
    readonly endpoint: string;
    /** Base64 PEM of the cluster CA, as EKS reports it. */
    readonly certificateAuthority: string;
    readonly region: string;
}

/** The kubeconfig document (JSON, which every YAML reader accepts), with exec auth through the AWS CLI. */
export function eksKubeconfig(input: EksKubeconfigInput): string {
    const name = input.clusterName;
    return JSON.stringify(
        {
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name, cluster: { server: input.endpoint, "certificate-authority-data": input.certificateAuthority } }],
            contexts: [{ name, context: { cluster: name, user: name } }],
            "current-context": name,
            users: [
                {
                    name,
                    user: {
                        exec: {
                            apiVersion: "client.authentication.k8s.io/v1beta1",
                            command: "aws",
                            args: ["eks", "get-token", "--cluster-name", name, "--region", input.region, "--output", "json"],
                            interactiveMode: "Never",
                        },
                    },
                },
            ],
        },
        null,
        2,
    );
}
