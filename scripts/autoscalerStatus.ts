/**
 * The autoscaler part of `npm run status`: per service, the HPA's state (replicas, range, each
 * metric's current value against its target) and the VPA's recommendation per container. The
 * lines are a pure function of the two `kubectl get … -o json` lists, so they are tested with
 * fixtures; platform/status.sh fetches the lists and passes the files.
 *
 *   node bin/scripts/autoscalerStatus.js HPA_LIST.json VPA_LIST.json
 *   node bin/scripts/autoscalerStatus.js HPA_LIST.json -     # the cluster has no VPA CRD
 */
import * as fs from "fs";

type Json = Readonly<Record<string, unknown>>;

function obj(value: unknown): Json {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
}

function arr(value: unknown): Json[] {
    return Array.isArray(value) ? value.map(obj) : [];
}

function text(value: unknown): string | undefined {
    return typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;
}

/** What a metric measures: the resource (with the container for ContainerResource) or the metric's name. */
function metricLabel(metric: Json): string {
    const type = text(metric.type) ?? "?";
    if (type === "Resource") return text(obj(metric.resource).name) ?? "?";
    if (type === "ContainerResource") {
        const source = obj(metric.containerResource);
        return `${text(source.container) ?? "?"}/${text(source.name) ?? "?"}`;
    }
    const source = obj(metric[type.charAt(0).toLowerCase() + type.slice(1)]);
    return `${text(obj(source.metric).name) ?? "?"} (${type})`;
}

/** The block of a spec or status metric that holds its target or current value. */
function valueBlock(metric: Json, key: "target" | "current"): Json {
    const type = text(metric.type) ?? "";
    return obj(obj(metric[type.charAt(0).toLowerCase() + type.slice(1)])[key]);
}

function valueText(block: Json): string | undefined {
    const utilization = text(block.averageUtilization);
    if (utilization !== undefined) return `${utilization}% of request`;
    return text(block.averageValue) ?? text(block.value);
}

/** One line per metric of the HPA's spec: current against target, `<unknown>` while no metric arrives. */
function metricLines(hpa: Json): string[] {
    // autoscaling/v2 defaults an HPA without metrics to 80 % average CPU.
    const metrics = arr(obj(hpa.spec).metrics);
    const specMetrics =
        metrics.length > 0
            ? metrics
            : [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } }];
    const current = arr(obj(hpa.status).currentMetrics);
    return specMetrics.map((metric) => {
        const label = metricLabel(metric);
        const match = current.find((c) => text(c.type) === text(metric.type) && metricLabel(c) === label);
        const now = match === undefined ? undefined : valueText(valueBlock(match, "current"));
        return `      ${label}: ${now ?? "<unknown>"} (target ${valueText(valueBlock(metric, "target")) ?? "?"})`;
    });
}

function hpaLines(hpa: Json): string[] {
    const spec = obj(hpa.spec);
    const status = obj(hpa.status);
    const lines = [
        `    HPA: ${text(status.currentReplicas) ?? "?"} replicas, desired ${text(status.desiredReplicas) ?? "?"} (min ${text(spec.minReplicas) ?? "1"}, max ${text(spec.maxReplicas) ?? "?"})`,
        ...metricLines(hpa),
    ];
    const active = arr(status.conditions).find((c) => text(c.type) === "ScalingActive");
    if (active !== undefined && text(active.status) === "False")
        lines.push(`      not scaling: ${text(active.reason) ?? "?"}: ${text(active.message) ?? ""}`.trimEnd());
    return lines;
}

function quantities(block: Json): string {
    return `cpu ${text(block.cpu) ?? "?"}, memory ${text(block.memory) ?? "?"}`;
}

function vpaLines(vpa: Json | undefined, vpaInstalled: boolean): string[] {
    if (!vpaInstalled) return ["    VPA: the cluster has no VerticalPodAutoscaler CRD (set platform:app.vpa: off, or install the VPA)"];
    if (vpa === undefined) return ["    VPA: none (platform:app.vpa is off for this service)"];
    const mode = text(obj(obj(vpa.spec).updatePolicy).updateMode) ?? "Auto";
    const recommendations = arr(obj(obj(vpa.status).recommendation).containerRecommendations);
    if (recommendations.length === 0) return [`    VPA (${mode}): no recommendation yet`];
    return [
        `    VPA (${mode}) recommends requests:`,
        ...recommendations.map((r) => {
            const target = quantities(obj(r.target));
            const uncapped = quantities(obj(r.uncappedTarget));
            const beyond = r.uncappedTarget !== undefined && uncapped !== target ? ` (uncapped ${uncapped})` : "";
            return `      ${text(r.containerName) ?? "?"}: ${target}${beyond}`;
        }),
    ];
}

function key(namespace: unknown, kind: unknown, name: unknown): string {
    return `${text(namespace) ?? "default"}/${text(kind) ?? "?"}/${text(name) ?? "?"}`;
}

function serviceName(object: Json): string {
    const metadata = obj(object.metadata);
    return text(obj(metadata.labels)["app.kubernetes.io/name"]) ?? text(metadata.name) ?? "?";
}

/**
 * The status lines for the app's autoscalers.
 * @param hpaList a `kubectl get hpa -o json` list
 * @param vpaList a `kubectl get verticalpodautoscalers -o json` list; undefined when the cluster has no VPA CRD
 */
export function autoscalerStatusLines(hpaList: unknown, vpaList: unknown): string[] {
    const hpas = arr(obj(hpaList).items);
    const vpas = arr(obj(vpaList).items);
    const vpaInstalled = vpaList !== undefined;
    const targetOf = (o: Json, ref: "scaleTargetRef" | "targetRef") => {
        const target = obj(obj(o.spec)[ref]);
        return key(obj(o.metadata).namespace, target.kind, target.name);
    };
    const targets = new Map<string, { service: string; hpa?: Json; vpa?: Json }>();
    for (const hpa of hpas) targets.set(targetOf(hpa, "scaleTargetRef"), { service: serviceName(hpa), hpa });
    for (const vpa of vpas) {
        const at = targetOf(vpa, "targetRef");
        targets.set(at, { service: targets.get(at)?.service ?? serviceName(vpa), ...targets.get(at), vpa });
    }
    if (targets.size === 0) return ["autoscalers: none deployed"];
    const lines = ["autoscalers:"];
    for (const [target, entry] of [...targets].sort(([a], [b]) => a.localeCompare(b))) {
        lines.push(`  ${entry.service} (${target}):`);
        lines.push(...(entry.hpa === undefined ? ["    HPA: none"] : hpaLines(entry.hpa)));
        lines.push(...vpaLines(entry.vpa, vpaInstalled));
    }
    return lines;
}

if (require.main === module) {
    const [hpaFile, vpaFile] = process.argv.slice(2);
    if (hpaFile === undefined || vpaFile === undefined) {
        console.error("usage: autoscalerStatus.js HPA_LIST.json VPA_LIST.json|-");
        process.exit(2);
    }
    const read = (file: string): unknown => JSON.parse(fs.readFileSync(file, "utf8"));
    console.log(autoscalerStatusLines(read(hpaFile), vpaFile === "-" ? undefined : read(vpaFile)).join("\n"));
}
