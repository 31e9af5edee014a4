/**
 * The Engine API provider of a swarm service: create, update with the engine's version index,
 * wait until the tasks converge (a failed rolling update, rolled back by Swarm, fails the
 * step), refresh from the live spec, remove and wait for the tasks to go.
 *
 * Runs in the dynamic-provider host from the source text in state (./source.ts): it may import
 * only Node.js built-ins and modules of this folder's tree that do the same; Pulumi only as types.
 */
import type * as pulumi from "@pulumi/pulumi";
import { engineCall, engineRequest } from "../engine/client";
import type { ServiceInfo, ServiceSpec } from "../engine/types";
import { removeWithRetry, waitForNoTasks, waitForService } from "../engine/wait";

interface ServiceInputs {
    readonly engineHost: string;
    readonly spec: ServiceSpec;
    readonly convergeTimeoutSeconds: number;
}

interface ServiceOutputs extends ServiceInputs {
    readonly serviceId: string;
    /** The engine's version index after the last change. */
    readonly version: number;
}

/** JSON with object keys sorted, so specs compare equal whatever order state hands them back in. */
export function canonicalJson(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
        entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
    }
    return JSON.stringify(value);
}

/**
 * The live value restricted to the shape of what was sent: the engine fills in defaults
 * (Runtime, Isolation, ...) that were never asked for and must not show as drift, while a
 * field that was sent and changed on the swarm (replicas, image) does.
 */
export function projectOnto(sent: unknown, live: unknown): unknown {
    if (Array.isArray(sent)) {
        if (!Array.isArray(live) || live.length !== sent.length) return live ?? (sent.length === 0 ? [] : live);
        return sent.map((item, i) => projectOnto(item, live[i]));
    }
    if (sent !== null && typeof sent === "object") {
        if (live === null || typeof live !== "object") return live;
        const out: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(sent as Record<string, unknown>)) {
            const liveValue = (live as Record<string, unknown>)[key];
            // The engine omits empty lists and zero values from what it returns.
            out[key] = liveValue === undefined ? value : projectOnto(value, liveValue);
        }
        return out;
    }
    return live;
}

/** Which inputs force a new service: its name (and published port owners) and the engine it lives on. */
export function serviceReplaces(
    olds: Pick<ServiceInputs, "engineHost" | "spec">,
    news: Pick<ServiceInputs, "engineHost" | "spec">,
): string[] {
    const replaces: string[] = [];
    if (olds.engineHost !== news.engineHost) replaces.push("engineHost");
    if (olds.spec.Name !== news.spec.Name) replaces.push("spec.Name");
    // Swarm cannot switch endpoint mode while ports are published in another mode; recreate instead.
    if (olds.spec.EndpointSpec?.Mode !== news.spec.EndpointSpec?.Mode) replaces.push("spec.EndpointSpec.Mode");
    return replaces;
}

/** The service provider the dynamic-provider host runs (see ./source.ts). */
export const serviceProvider: pulumi.dynamic.ResourceProvider<ServiceInputs, ServiceOutputs> = {
    async create(inputs) {
        const created = await engineCall<{ ID: string }>(inputs.engineHost, "POST", "/services/create", inputs.spec);
        if (!created?.ID) throw new Error(`docker did not return an id for service ${inputs.spec.Name}`);
        try {
            const live = await waitForService(
                inputs.engineHost,
                created.ID,
                inputs.spec.Mode.Replicated.Replicas,
                inputs.convergeTimeoutSeconds * 1000,
            );
            return { id: created.ID, outs: { ...inputs, serviceId: created.ID, version: live.Version.Index } };
        } catch (error) {
            // A failed create leaves nothing behind: the engine's service is not in state, so remove it now.
            await removeWithRetry(inputs.engineHost, `/services/${created.ID}`, 30_000);
            await waitForNoTasks(inputs.engineHost, created.ID, 60_000);
            throw error;
        }
    },
    async read(id, props) {
        if (!props) return {};
        const response = await engineRequest(props.engineHost, "GET", `/services/${id}`);
        if (response.status === 404) return {};
        if (response.status !== 200) throw new Error(`docker GET /services/${id}: HTTP ${response.status}`);
        const live = response.body as ServiceInfo;
        const spec = projectOnto(props.spec, live.Spec) as ServiceSpec;
        // Drift shows in the outputs, so the next diff (olds are outputs) puts the declared spec back.
        return { id, props: { ...props, spec, serviceId: id, version: live.Version.Index } };
    },
    diff(_id, olds, news) {
        // In a preview the spec is unknown while what it is built from (network or secret ids) is changing.
        if (typeof news.spec !== "object" || news.spec === null) return Promise.resolve({ changes: true });
        const replaces = serviceReplaces(olds, news);
        const changes =
            replaces.length > 0 ||
            canonicalJson(olds.spec) !== canonicalJson(news.spec) ||
            olds.convergeTimeoutSeconds !== news.convergeTimeoutSeconds;
        return Promise.resolve({ changes, replaces, deleteBeforeReplace: true });
    },
    async update(id, _olds, news) {
        const current = await engineCall<ServiceInfo>(news.engineHost, "GET", `/services/${id}`);
        if (current === undefined) throw new Error(`service ${news.spec.Name} (${id}) is gone; run pulumi refresh`);
        await engineCall(news.engineHost, "POST", `/services/${id}/update?version=${current.Version.Index}`, news.spec);
        const live = await waitForService(news.engineHost, id, news.spec.Mode.Replicated.Replicas, news.convergeTimeoutSeconds * 1000);
        return { outs: { ...news, serviceId: id, version: live.Version.Index } };
    },
    async delete(id, props) {
        await removeWithRetry(props.engineHost, `/services/${id}`, 60_000);
        // Networks, secrets and volumes can go only once the tasks' containers are gone.
        await waitForNoTasks(props.engineHost, id, (props.spec.TaskTemplate.ContainerSpec.StopGracePeriod / 1e9 + 60) * 1000);
    },
};
