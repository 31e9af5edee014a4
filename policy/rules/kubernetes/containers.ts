/** What every container must declare to be scheduled well and restarted when it hangs. */
import type { ResourceRule } from "../../rule";
import { arr, obj, str } from "../../values";
import { appContainersOf, containersOf, describe, LONG_RUNNING_TYPES, onPodSpec, WORKLOAD_TYPES } from "./workloads";

function missing(resources: unknown, field: "requests" | "limits"): string[] {
    const values = obj(obj(resources)[field]);
    return ["cpu", "memory"].filter((k) => values[k] === undefined || values[k] === null || values[k] === "");
}

/** CPU and memory requests on every container. */
export const resourceRequests: ResourceRule = {
    kind: "resource",
    name: "k8s-resource-requests",
    description:
        "Without requests the scheduler packs pods blindly and the HPA cannot compute utilization; the pod is BestEffort and evicted first (kube-linter unset-cpu/memory-requirements).",
    remediation: "set resources.requests.cpu and resources.requests.memory on every container",
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) =>
        containersOf(pod)
            .filter((c) => c.kind !== "ephemeralContainer")
            .flatMap((c) => {
                const gaps = missing(c.spec.resources, "requests");
                return gaps.length > 0 ? [`${describe(c)} has no ${gaps.join(" and ")} request`] : [];
            }),
    ),
};

/** CPU and memory limits on every container. */
export const resourceLimits: ResourceRule = {
    kind: "resource",
    name: "k8s-resource-limits",
    description:
        "A container without limits can take a node's whole CPU and memory and starve its neighbours; a memory leak becomes a node outage (Polaris cpuLimitsMissing/memoryLimitsMissing).",
    remediation: "set resources.limits.cpu and resources.limits.memory on every container",
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) =>
        containersOf(pod)
            .filter((c) => c.kind !== "ephemeralContainer")
            .flatMap((c) => {
                const gaps = missing(c.spec.resources, "limits");
                return gaps.length > 0 ? [`${describe(c)} has no ${gaps.join(" and ")} limit`] : [];
            }),
    ),
};

function probeRule(field: "livenessProbe" | "readinessProbe", name: string, description: string, remediation: string): ResourceRule {
    return {
        kind: "resource",
        name,
        description,
        remediation,
        types: LONG_RUNNING_TYPES,
        check: onPodSpec((pod, type) => {
            if (!LONG_RUNNING_TYPES.includes(type)) return [];
            return appContainersOf(pod)
                .filter((c) => Object.keys(obj(c.spec[field])).length === 0)
                .map((c) => `${describe(c)} has no ${field}`);
        }),
    };
}

/** A liveness probe on every serving container. */
export const livenessProbe = probeRule(
    "livenessProbe",
    "k8s-liveness-probe",
    "Without a liveness probe a deadlocked process keeps its pod Running forever; the kubelet only restarts what it can see is dead (kube-linter no-liveness-probe).",
    "add livenessProbe (httpGet, tcpSocket, grpc or exec) to every container",
);

/** A readiness probe on every serving container. */
export const readinessProbe = probeRule(
    "readinessProbe",
    "k8s-readiness-probe",
    "Without a readiness probe a pod receives traffic before it can serve and during rollouts, so users see errors (kube-linter no-readiness-probe).",
    "add readinessProbe (httpGet, tcpSocket, grpc or exec) to every container",
);

/** `repo@sha256:<64 hex>`, optionally with a tag before the digest. */
const DIGEST_REF = /@sha256:[0-9a-f]{64}$/;

/** Why an image reference is not pinned, or undefined when it is. */
export function imagePinProblem(image: string | undefined): string | undefined {
    if (image === undefined || image === "") return "has no image";
    if (DIGEST_REF.test(image)) return undefined;
    const lastSegment = image.split("/").pop() ?? image;
    const tag = lastSegment.includes(":") ? lastSegment.slice(lastSegment.indexOf(":") + 1) : undefined;
    if (tag === undefined) return `uses ${image} (no tag means :latest)`;
    if (tag === "latest") return `uses ${image} (:latest)`;
    return `uses ${image} (a tag can be moved to other content)`;
}

/** Every image pinned by digest. */
export const imageDigest: ResourceRule = {
    kind: "resource",
    name: "k8s-image-pinned-by-digest",
    description:
        "A tag (and :latest above all) can point at different content tomorrow: rollbacks stop being rollbacks and nodes run different code; a digest names exactly one image (kube-linter latest-tag).",
    remediation: "reference images as registry/repository@sha256:<digest> (the program's AppImage ref already is)",
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) =>
        containersOf(pod).flatMap((c) => {
            const problem = imagePinProblem(str(c.spec.image));
            return problem === undefined ? [] : [`${describe(c)} ${problem}`];
        }),
    ),
};

/** Names of environment variables that hold credentials. */
export const SECRET_ENV_NAME = /PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|ACCESS_?KEY/i;

/** Whether a variable names a secret's file (`NAME_FILE=/run/secrets/...`) rather than holding it. */
export function isSecretFileReference(name: string, value: string): boolean {
    return name.endsWith("_FILE") && value.startsWith("/");
}

/**
 * No credential as a literal env value. @pulumi/policy unwraps secrets before a policy sees a
 * resource, so a rule cannot tell a secret Secret.data from a plain one; a literal value on a
 * credential-named variable is what it can see, and it lands in the pod spec in plain text.
 */
export const noLiteralSecretEnv: ResourceRule = {
    kind: "resource",
    name: "k8s-no-literal-secret-env",
    description:
        "A credential written as a literal env value is stored in plain text in the workload spec, in Pulumi state and in every `kubectl get -o yaml`; readers of Deployments are not meant to read passwords.",
    remediation:
        "move the value into a Kubernetes Secret built from a secret Output, mount it as a secret volume and point a NAME_FILE variable at the file",
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) =>
        containersOf(pod).flatMap((c) =>
            arr(c.spec.env)
                .map(obj)
                .filter(
                    (e) =>
                        SECRET_ENV_NAME.test(str(e.name) ?? "") &&
                        typeof e.value === "string" &&
                        e.value !== "" &&
                        !isSecretFileReference(str(e.name) ?? "", e.value),
                )
                .map((e) => `${describe(c)} sets ${str(e.name) ?? "?"} to a literal value`),
        ),
    ),
};
