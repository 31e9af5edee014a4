/**
 * Labels and selectors. Selectors hold only the stable name and component: a version in a
 * selector would turn every release into a replace.
 */

/** Labels every object of a service carries. */
export function serviceLabels(service: string, component: string): Record<string, string> {
    return {
        "app.kubernetes.io/name": service,
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/part-of": "platform",
        "app.kubernetes.io/managed-by": "pulumi",
    };
}

/** The immutable selector of a service's pods (a subset of {@link serviceLabels}). */
export function selectorLabels(service: string): Record<string, string> {
    return { "app.kubernetes.io/name": service };
}
