/** Who a pod runs as and what credentials it holds: user ids, service account tokens, secrets. */
import type { ResourceRule } from "../../rule";
import { arr, num, obj, Props, text } from "../../values";
import { containersOf, describe, onPodSpec, WORKLOAD_TYPES } from "./workloads";

/** Secrets reach containers as mounted files, never as environment variables. */
export const secretsAsFiles: ResourceRule = {
    kind: "resource",
    name: "k8s-secrets-as-files",
    description:
        "A Secret read into an environment variable is inherited by every child process, printed by crash reporters and debug endpoints, and readable in /proc/<pid>/environ; a mounted file has its own mode and can rotate (checkov CKV_K8S_35, kube-linter env-var-secret).",
    remediation:
        "mount the Secret as a volume (defaultMode 0440) and point a NAME_FILE variable at the file instead of env[].valueFrom.secretKeyRef or envFrom.secretRef",
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) =>
        containersOf(pod).flatMap((c) => [
            ...arr(c.spec.env)
                .map(obj)
                .filter((e) => obj(e.valueFrom).secretKeyRef !== undefined)
                .map((e) => `${describe(c)} reads ${text(e.name)} from a Secret into its environment`),
            ...arr(c.spec.envFrom)
                .map(obj)
                .filter((e) => e.secretRef !== undefined)
                .map((e) => `${describe(c)} loads Secret ${text(obj(e.secretRef).name ?? "?")} into its environment (envFrom)`),
        ]),
    ),
};

/** Pods hold no Kubernetes API token unless they call the API; service accounts do not hand one out by default. */
export const noServiceAccountToken: ResourceRule = {
    kind: "resource",
    name: "k8s-no-service-account-token",
    description:
        "Every pod gets a token for the Kubernetes API by default; an app that never calls the API only gives an intruder a credential to probe the cluster with (checkov CKV_K8S_38, CKV_K8S_41).",
    remediation:
        "set automountServiceAccountToken: false on the pod spec and on the ServiceAccounts the program creates; a pod that calls the API waives the rule",
    types: [...WORKLOAD_TYPES, "kubernetes:core/v1:ServiceAccount"],
    check: (resource) => {
        if (resource.type === "kubernetes:core/v1:ServiceAccount")
            return resource.props.automountServiceAccountToken === false
                ? []
                : ["the ServiceAccount does not set automountServiceAccountToken: false"];
        return onPodSpec((pod) =>
            pod.automountServiceAccountToken === false ? [] : ["the pod does not set automountServiceAccountToken: false"],
        )(resource);
    },
};

/** The lowest user id a container may run as: above every id a host's /etc/passwd hands out. */
export const MIN_UID = 10000;

const sc = (spec: Props): Props => obj(spec.securityContext);

/** Containers run as a fixed user id of 10000 or more. */
export const highUid: ResourceRule = {
    kind: "resource",
    name: "k8s-high-uid",
    description: `A container user id below ${MIN_UID} can be the id of a real user or service on the node, which owns files there after any escape through a shared mount (checkov CKV_K8S_40).`,
    remediation: `set securityContext.runAsUser to ${MIN_UID} or more on the pod (or every container), matching the image's USER`,
    types: WORKLOAD_TYPES,
    check: onPodSpec((pod) => {
        const podUid = num(sc(pod).runAsUser);
        return containersOf(pod).flatMap((c) => {
            const uid = num(sc(c.spec).runAsUser) ?? podUid;
            if (uid === undefined) return [`${describe(c)} sets no runAsUser (the image decides)`];
            return uid >= MIN_UID ? [] : [`${describe(c)} runs as user ${uid}, below ${MIN_UID}`];
        });
    }),
};
