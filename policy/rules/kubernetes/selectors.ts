/** Kubernetes object identity and label selectors, for rules that relate objects to each other. */
import type { StackResourceView } from "../../rule";
import { arr, obj, Props, str, strings } from "../../values";

/** The namespace of a namespaced object ("default" when unset, as the API server does). */
export function namespaceOf(props: Props): string {
    return str(obj(props.metadata).namespace) ?? "default";
}

/** The object name: metadata.name, or the Pulumi resource name when autonaming left it unset. */
export function objectName(resource: Pick<StackResourceView, "name" | "props">): string {
    return str(obj(resource.props.metadata).name) ?? resource.name;
}

/** Whether a label selector ({matchLabels, matchExpressions}) selects pods with `labels`. An empty selector selects all. */
export function selects(selector: unknown, labels: Readonly<Record<string, unknown>>): boolean {
    const s = obj(selector);
    const matchLabels = obj(s.matchLabels);
    if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
    return arr(s.matchExpressions)
        .map(obj)
        .every((e) => {
            const key = str(e.key) ?? "";
            const value = str(labels[key]);
            const values = strings(e.values);
            switch (str(e.operator)) {
                case "In":
                    return value !== undefined && values.includes(value);
                case "NotIn":
                    return value === undefined || !values.includes(value);
                case "Exists":
                    return value !== undefined;
                case "DoesNotExist":
                    return value === undefined;
                default:
                    return false;
            }
        });
}

/** Whether a selector is empty (selects every pod in the namespace). */
export function isEmptySelector(selector: unknown): boolean {
    const s = obj(selector);
    return Object.keys(obj(s.matchLabels)).length === 0 && arr(s.matchExpressions).length === 0;
}
