/**
 * The `local` target: an existing cluster (the embedded local platform or any other) reached
 * through a kubeconfig file and context named in config. Nothing is provisioned; the component
 * only wires the provider and states how images and traffic get in.
 */
import { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesPlatform } from "./platform";
import type { LocalTarget } from "../../model/targets";

/** Arguments of {@link LocalCluster}. */
export interface LocalClusterArgs {
    readonly target: LocalTarget;
    /** Kubeconfig file content, secret (read once at the config edge). */
    readonly kubeconfig: pulumi.Output<string>;
    /** Service names, for one repository each. */
    readonly serviceNames: readonly string[];
}

/** Repository of a service in a registry addressed as host:port. */
export function localRepository(registry: string, service: string): string {
    return `${registry}/${service}`;
}

/** An existing Kubernetes cluster behind the platform seam. */
export class LocalCluster extends pulumi.ComponentResource {
    public readonly platform: KubernetesPlatform;

    constructor(name: string, args: LocalClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:LocalCluster", name, {}, opts);
        const provider = new Provider(
            `${name}-k8s`,
            {
                kubeconfig: args.kubeconfig,
                context: args.target.context,
                // Fails loudly instead of writing into whatever namespace a kubeconfig defaults to.
                namespace: "default",
            },
            { parent: this },
        );
        const repositories: Record<string, string> = {};
        for (const service of args.serviceNames) repositories[service] = localRepository(args.target.registry, service);
        this.platform = {
            kind: "kubernetes",
            cloud: "local",
            provider,
            kubeconfig: pulumi.secret(args.kubeconfig),
            clusterName: pulumi.output(args.target.context),
            registry: { url: args.target.registry, repositories },
            wayIn: { kind: "nodePort", nodeAddress: args.target.nodeAddress, nodePortBase: args.target.nodePortBase },
            storageClassName: args.target.storageClass === "" ? undefined : args.target.storageClass,
            workloadDependencies: [],
        };
        this.registerOutputs({ clusterName: this.platform.clusterName });
    }
}
