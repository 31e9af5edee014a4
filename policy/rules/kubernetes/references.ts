/** Objects that name other objects: Services select pods, pods name service accounts (kube-linter). */
import type { StackFinding, StackRule } from "../../rule";
import { at, obj, str } from "../../values";
import { isEmptySelector, namespaceOf, objectName, selects } from "./selectors";
import { podSpecOf, POD_SPEC_PATHS } from "./workloads";

/** Pod labels of a workload (its template's, or a bare Pod's own). */
function podLabels(type: string, props: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
    if (type === "kubernetes:core/v1:Pod") return obj(at(props, "metadata.labels"));
    if (type === "kubernetes:batch/v1:CronJob") return obj(at(props, "spec.jobTemplate.spec.template.metadata.labels"));
    return obj(at(props, "spec.template.metadata.labels"));
}

/** Every Service with a selector selects the pods of some workload of the stack. */
export const serviceSelectsPods: StackRule = {
    kind: "stack",
    name: "k8s-service-selects-pods",
    description:
        "A Service whose selector matches no pods has no endpoints: clients get connection refused, and the mistake (a renamed label) shows only at run time (kube-linter dangling-service).",
    remediation: "make the Service's spec.selector match the pod template labels of a workload in its namespace",
    check: (resources) => {
        const workloads = resources.filter((r) => POD_SPEC_PATHS[r.type] !== undefined);
        return resources
            .filter((r) => r.type === "kubernetes:core/v1:Service")
            .flatMap((svc): StackFinding[] => {
                const selector = obj(at(svc.props, "spec.selector"));
                if (Object.keys(selector).length === 0 || str(at(svc.props, "spec.type")) === "ExternalName") return [];
                const found = workloads.some(
                    (w) =>
                        namespaceOf(w.props) === namespaceOf(svc.props) &&
                        !isEmptySelector({ matchLabels: selector }) &&
                        selects({ matchLabels: selector }, podLabels(w.type, w.props)),
                );
                return found
                    ? []
                    : [{ urn: svc.urn, message: `Service ${objectName(svc)} selects no pods of the stack (${JSON.stringify(selector)})` }];
            });
    },
};

/** Every service account a pod names exists in the stack, in the pod's namespace. */
export const serviceAccountExists: StackRule = {
    kind: "stack",
    name: "k8s-service-account-exists",
    description:
        "A pod that names a service account nobody created is refused by the API server at run time: the rollout stalls with no pod and no error in the preview (kube-linter non-existent-service-account).",
    remediation: "create the ServiceAccount in the workload's namespace in the same stack, or leave serviceAccountName unset",
    check: (resources) => {
        const accounts = resources
            .filter((r) => r.type === "kubernetes:core/v1:ServiceAccount")
            .map((a) => `${namespaceOf(a.props)}/${objectName(a)}`);
        return resources
            .filter((r) => POD_SPEC_PATHS[r.type] !== undefined)
            .flatMap((w): StackFinding[] => {
                const name = str(podSpecOf(w.type, w.props).serviceAccountName);
                if (name === undefined || name === "" || name === "default") return [];
                return accounts.includes(`${namespaceOf(w.props)}/${name}`)
                    ? []
                    : [
                          {
                              urn: w.urn,
                              message: `${objectName(w)} runs as service account ${name}, which the stack does not create in namespace ${namespaceOf(w.props)}`,
                          },
                      ];
            });
    },
};
