/** Where each Kubernetes workload type keeps its pod spec, and the containers in it. */
import { arr, at, obj, Props, str } from "../../values";

/** Workload types and the path of their pod spec. */
export const POD_SPEC_PATHS: Readonly<Record<string, string>> = {
    "kubernetes:core/v1:Pod": "spec",
    "kubernetes:core/v1:ReplicationController": "spec.template.spec",
    "kubernetes:apps/v1:Deployment": "spec.template.spec",
    "kubernetes:apps/v1:StatefulSet": "spec.template.spec",
    "kubernetes:apps/v1:DaemonSet": "spec.template.spec",
    "kubernetes:apps/v1:ReplicaSet": "spec.template.spec",
    "kubernetes:batch/v1:Job": "spec.template.spec",
    "kubernetes:batch/v1:CronJob": "spec.jobTemplate.spec.template.spec",
};

/** Every workload type that carries a pod spec. */
export const WORKLOAD_TYPES: readonly string[] = Object.keys(POD_SPEC_PATHS);

/** Workloads that run until stopped (probes make sense for these, not for Jobs). */
export const LONG_RUNNING_TYPES: readonly string[] = WORKLOAD_TYPES.filter((t) => !t.startsWith("kubernetes:batch/"));

/** The pod spec of a workload, or an empty object. */
export function podSpecOf(type: string, props: Props): Props {
    const path = POD_SPEC_PATHS[type];
    return path === undefined ? {} : obj(at(props, path));
}

/** A container with the list it came from. */
export interface ContainerView {
    readonly name: string;
    readonly kind: "container" | "initContainer" | "ephemeralContainer";
    readonly spec: Props;
}

/** Every container of a pod spec: regular, init and ephemeral. */
export function containersOf(podSpec: Props): ContainerView[] {
    const lists = [
        ["containers", "container"],
        ["initContainers", "initContainer"],
        ["ephemeralContainers", "ephemeralContainer"],
    ] as const;
    return lists.flatMap(([field, kind]) =>
        arr(podSpec[field]).map((c, i) => ({ name: str(obj(c).name) ?? `${field}[${i}]`, kind, spec: obj(c) })),
    );
}

/** The regular containers only (the ones that serve; init containers run to completion). */
export function appContainersOf(podSpec: Props): ContainerView[] {
    return containersOf(podSpec).filter((c) => c.kind === "container");
}

/** "container web" / "init container migrate", for messages. */
export function describe(container: ContainerView): string {
    const label =
        container.kind === "container" ? "container" : container.kind === "initContainer" ? "init container" : "ephemeral container";
    return `${label} ${container.name}`;
}

/** A resource rule body over a workload's pod spec. */
export type PodCheck = (podSpec: Props, type: string) => string[];

/** Runs `check` on a workload's pod spec; resources without one pass. */
export function onPodSpec(check: PodCheck): (resource: { type: string; props: Props }) => string[] {
    return (resource) =>
        POD_SPEC_PATHS[resource.type] === undefined ? [] : check(podSpecOf(resource.type, resource.props), resource.type);
}
