/** How Services let traffic in from outside the cluster. */
import type { ResourceRule } from "../../rule";
import { admitsEveryone, obj, str, strings } from "../../values";

/** Annotations (key → value) that make a cloud load balancer internal. */
export const INTERNAL_LB_ANNOTATIONS: Readonly<Record<string, string>> = {
    "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
    "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
    "networking.gke.io/load-balancer-type": "Internal",
    "cloud.google.com/load-balancer-type": "Internal",
};

/** Whether the annotations keep a LoadBalancer Service off the internet. */
export function isInternalLoadBalancer(annotations: Readonly<Record<string, unknown>>): boolean {
    return Object.entries(INTERNAL_LB_ANNOTATIONS).some(([key, value]) => str(annotations[key])?.toLowerCase() === value.toLowerCase());
}

/** No internet-facing load balancer that admits the whole internet. */
export const noPublicLoadBalancer: ResourceRule = {
    kind: "resource",
    name: "k8s-no-public-load-balancer",
    description:
        "An internet-facing LoadBalancer without loadBalancerSourceRanges (or with 0.0.0.0/0) puts the service in front of every scanner on the internet; exposure to the world must be a reviewed decision.",
    remediation:
        'set spec.loadBalancerSourceRanges to the client CIDRs (platform:app.allowedSourceRanges), or make it internal (service.beta.kubernetes.io/aws-load-balancer-internal / azure-load-balancer-internal: "true"), or waive k8s-no-public-load-balancer for the stack with a reason',
    types: ["kubernetes:core/v1:Service"],
    check: ({ props }) => {
        const spec = obj(props.spec);
        if (str(spec.type) !== "LoadBalancer") return [];
        if (isInternalLoadBalancer(obj(obj(props.metadata).annotations))) return [];
        const ranges = strings(spec.loadBalancerSourceRanges);
        if (ranges.length === 0) return ["internet-facing LoadBalancer without loadBalancerSourceRanges admits everyone"];
        if (admitsEveryone(ranges))
            return [`internet-facing LoadBalancer admits everyone (loadBalancerSourceRanges: ${ranges.join(", ")})`];
        return [];
    },
};
