/** The pack's rules, in the order reports list them: Kubernetes, stack-wide, AWS, Azure, cost and capacity. */
import type { Rule } from "./rule";
import { AWS_RULES } from "./rules/aws";
import { AZURE_RULES } from "./rules/azure";
import { COST_RULES } from "./rules/cost";
import { imageDigest, livenessProbe, noLiteralSecretEnv, readinessProbe, resourceLimits, resourceRequests } from "./rules/kubernetes/containers";
import {
    dropAllCapabilities,
    noHostIpc,
    noHostNetwork,
    noHostPath,
    noHostPid,
    noHostPorts,
    noPrivileged,
    noPrivilegeEscalation,
    readOnlyRootFilesystem,
    restrictedVolumeTypes,
    runAsNonRoot,
    seccompRuntimeDefault,
} from "./rules/kubernetes/podSecurity";
import { noPublicLoadBalancer } from "./rules/kubernetes/services";
import { explicitKubernetesProvider, namespaceDefaultDeny, noReplicasWithHpa, pdbForReplicatedWorkloads } from "./rules/stack";

/** Rules on single Kubernetes objects. */
export const KUBERNETES_RULES: readonly Rule[] = [
    runAsNonRoot,
    noPrivilegeEscalation,
    dropAllCapabilities,
    seccompRuntimeDefault,
    readOnlyRootFilesystem,
    noPrivileged,
    noHostPath,
    restrictedVolumeTypes,
    noHostNetwork,
    noHostPid,
    noHostIpc,
    noHostPorts,
    resourceRequests,
    resourceLimits,
    livenessProbe,
    readinessProbe,
    imageDigest,
    noLiteralSecretEnv,
    noPublicLoadBalancer,
];

/** Rules across the stack's Kubernetes objects and providers. */
export const STACK_RULES: readonly Rule[] = [noReplicasWithHpa, pdbForReplicatedWorkloads, namespaceDefaultDeny, explicitKubernetesProvider];

/** Every rule of the pack. Names are unique (checked by the pack at load). */
export const RULES: readonly Rule[] = [...KUBERNETES_RULES, ...STACK_RULES, ...AWS_RULES, ...AZURE_RULES, ...COST_RULES];
