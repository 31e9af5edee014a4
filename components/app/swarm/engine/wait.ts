/**
 * Polling helpers for the Swarm resources: retries of calls the engine refuses while tasks
 * are still shutting down, and waiting for a service to converge. Self-contained (the
 * dynamic providers that call them are serialised into state).
 */
import { engineCall, engineRequest, engineMessage, sleep } from "./client";
import type { ServiceInfo, TaskInfo } from "./types";

/** Repeats a removal until the engine accepts it (2xx) or says the object is gone (404); other answers are retried until `timeoutMs`. */
export async function removeWithRetry(endpoint: string, path: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const response = await engineRequest(endpoint, "DELETE", path);
        if ((response.status >= 200 && response.status < 300) || response.status === 404) return;
        // In-use answers (a task that is still stopping holds the network, secret or volume) clear by themselves.
        if (Date.now() > deadline)
            throw new Error(
                `docker DELETE ${path}: ${engineMessage(response)} (HTTP ${response.status}), still refused after ${Math.round(timeoutMs / 1000)} s`,
            );
        await sleep(1000);
    }
}

/** The tasks of a service (all states); none once the service is gone (the engine answers 404 for an unknown service filter). */
export async function serviceTasks(endpoint: string, serviceId: string): Promise<TaskInfo[]> {
    const filters = encodeURIComponent(JSON.stringify({ service: [serviceId] }));
    return (await engineCall<TaskInfo[]>(endpoint, "GET", `/tasks?filters=${filters}`, undefined, [404])) ?? [];
}

/** Update states after which the service will not reach the spec that was sent. */
export const FAILED_UPDATE_STATES: readonly string[] = ["paused", "rollback_started", "rollback_paused", "rollback_completed"];

/** Whether a service has converged: no rolling update in progress, and exactly `replicas` tasks meant to run, all running (healthy where a health check exists). */
export function converged(
    service: Pick<ServiceInfo, "UpdateStatus">,
    tasks: readonly Pick<TaskInfo, "DesiredState" | "Status">[],
    replicas: number,
): boolean {
    if (service.UpdateStatus?.State === "updating") return false;
    const wanted = tasks.filter((t) => t.DesiredState === "running");
    return wanted.length === replicas && wanted.every((t) => t.Status.State === "running");
}

/**
 * Waits until the service has converged on three polls in a row (the orchestrator may not have
 * picked up a just-sent spec on the first). Throws with the tasks' last errors when a rolling
 * update failed or `timeoutMs` passed.
 */
export async function waitForService(endpoint: string, serviceId: string, replicas: number, timeoutMs: number): Promise<ServiceInfo> {
    const deadline = Date.now() + timeoutMs;
    let streak = 0;
    for (;;) {
        const service = await engineCall<ServiceInfo>(endpoint, "GET", `/services/${serviceId}`);
        if (service === undefined) throw new Error(`service ${serviceId} disappeared while waiting for it`);
        const tasks = await serviceTasks(endpoint, serviceId);
        const state = service.UpdateStatus?.State;
        const problems = () =>
            tasks
                .filter((t) => t.Status.Err)
                .slice(-3)
                .map((t) => `task ${t.ID.slice(0, 12)}: ${t.Status.State}: ${t.Status.Err}`)
                .join("; ");
        if (state !== undefined && FAILED_UPDATE_STATES.includes(state)) {
            throw new Error(
                `service ${service.Spec.Name}: rolling update failed (${state}: ${service.UpdateStatus?.Message ?? ""}) ${problems()}`,
            );
        }
        streak = converged(service, tasks, replicas) ? streak + 1 : 0;
        if (streak >= 3) return service;
        if (Date.now() > deadline) {
            const running = tasks.filter((t) => t.DesiredState === "running" && t.Status.State === "running").length;
            throw new Error(
                `service ${service.Spec.Name}: ${running}/${replicas} tasks running after ${Math.round(timeoutMs / 1000)} s. ${problems()}`,
            );
        }
        await sleep(1000);
    }
}

/**
 * Waits until a removed service has no tasks left and, on the node the endpoint reaches, no
 * containers (so they released networks, secrets and volumes). Other nodes' containers are not
 * visible; removals of what they hold are retried instead.
 */
export async function waitForNoTasks(endpoint: string, serviceId: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const containerFilter = encodeURIComponent(JSON.stringify({ label: [`com.docker.swarm.service.id=${serviceId}`] }));
    while (Date.now() < deadline) {
        const tasks = await serviceTasks(endpoint, serviceId);
        const containers = (await engineCall<unknown[]>(endpoint, "GET", `/containers/json?all=1&filters=${containerFilter}`)) ?? [];
        if (tasks.length === 0 && containers.length === 0) return;
        await sleep(1000);
    }
}
