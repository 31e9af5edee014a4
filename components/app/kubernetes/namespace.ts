/**
 * The app stack's namespace: Pod Security Standards "restricted" enforced, every pod denied
 * all traffic unless a policy allows it, DNS allowed.
 */
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as networkingv1 from "@pulumi/kubernetes/networking/v1";
import { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE_POLICY_NAMES } from "../../../model/names";
import { RESTRICTED_NAMESPACE_LABELS } from "./hardening";
import { allowDnsSpec, defaultDenySpec } from "./namespaceSpecs";

/** Arguments of {@link AppNamespace}. */
export interface AppNamespaceArgs {
    /** Namespace name (exact: other tools and people address it by name). */
    readonly name: string;
    readonly provider: Provider;
    /** Created after these (a cluster's node pools, for instance). Default none. */
    readonly dependsOn?: readonly pulumi.Resource[];
}

/** A hardened namespace with default-deny networking. */
export class AppNamespace extends pulumi.ComponentResource {
    /** The namespace name, resolved once the namespace exists. */
    public readonly name: pulumi.Output<string>;

    constructor(name: string, args: AppNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:app:AppNamespace", name, {}, opts);
        const childOpts = { parent: this, provider: args.provider };
        const namespace = new corev1.Namespace(
            `${name}-ns`,
            { metadata: { name: args.name, labels: { ...RESTRICTED_NAMESPACE_LABELS, "app.kubernetes.io/part-of": "platform" } } },
            { ...childOpts, dependsOn: [...(args.dependsOn ?? [])] },
        );
        this.name = namespace.metadata.name;
        const metadata = (policy: string) => ({ name: policy, namespace: this.name });
        new networkingv1.NetworkPolicy(
            `${name}-default-deny`,
            { metadata: metadata(NAMESPACE_POLICY_NAMES.defaultDeny), spec: defaultDenySpec() },
            childOpts,
        );
        new networkingv1.NetworkPolicy(
            `${name}-allow-dns`,
            { metadata: metadata(NAMESPACE_POLICY_NAMES.allowDns), spec: allowDnsSpec() },
            childOpts,
        );
        this.registerOutputs({ name: this.name });
    }
}
