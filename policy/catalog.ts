/** The pack's rules, in the order reports list them: Kubernetes, stack-wide, AWS, Azure, cost and capacity. */
import type { Rule } from "./rule";
import { AWS_RULES } from "./rules/aws";
import { AZURE_RULES } from "./rules/azure";
import { COST_RULES } from "./rules/cost";
import { MORE_AWS_RULES } from "./rules/awsMore";
import { MORE_AZURE_RULES } from "./rules/azureMore";
import {
    imageDigest,
    livenessProbe,
    noLiteralSecretEnv,
    readinessProbe,
    resourceLimits,
    resourceRequests,
} from "./rules/kubernetes/containers";
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
import { pdbAllowsDisruption, pdbUnhealthyPodEviction, replicasSpreadOverNodes } from "./rules/kubernetes/disruption";
import { highUid, noServiceAccountToken, secretsAsFiles } from "./rules/kubernetes/identity";
import {
    appArmorProfile,
    defaultProcMount,
    noProbeHost,
    noSysctls,
    noWindowsHostProcess,
    seLinuxOptions,
} from "./rules/kubernetes/podSecurityBaseline";
import { serviceAccountExists, serviceSelectsPods } from "./rules/kubernetes/references";
import { noPublicLoadBalancer } from "./rules/kubernetes/services";
import {
    jobTtl,
    noDefaultNamespace,
    noDeprecatedServiceAccountField,
    noDuplicateEnv,
    noRemovedApis,
    noSshPort,
    probePortsExposed,
    selectorMatchesTemplate,
    validPortNames,
} from "./rules/kubernetes/wiring";
import { hpaMetricsSource, vpaHpaConflict } from "./rules/autoscaling";
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
    appArmorProfile,
    seLinuxOptions,
    defaultProcMount,
    noSysctls,
    noWindowsHostProcess,
    noProbeHost,
    resourceRequests,
    resourceLimits,
    livenessProbe,
    readinessProbe,
    imageDigest,
    noLiteralSecretEnv,
    secretsAsFiles,
    noServiceAccountToken,
    highUid,
    noDuplicateEnv,
    validPortNames,
    probePortsExposed,
    noSshPort,
    selectorMatchesTemplate,
    noDeprecatedServiceAccountField,
    noRemovedApis,
    jobTtl,
    noDefaultNamespace,
    pdbUnhealthyPodEviction,
    noPublicLoadBalancer,
];

/** Rules across the stack's Kubernetes objects and providers. */
export const STACK_RULES: readonly Rule[] = [
    noReplicasWithHpa,
    hpaMetricsSource,
    vpaHpaConflict,
    pdbForReplicatedWorkloads,
    pdbAllowsDisruption,
    replicasSpreadOverNodes,
    serviceSelectsPods,
    serviceAccountExists,
    namespaceDefaultDeny,
    explicitKubernetesProvider,
];

/** Every rule of the pack. Names are unique (checked by the pack at load). */
export const RULES: readonly Rule[] = [
    ...KUBERNETES_RULES,
    ...STACK_RULES,
    ...AWS_RULES,
    ...MORE_AWS_RULES,
    ...AZURE_RULES,
    ...MORE_AZURE_RULES,
    ...COST_RULES,
];
