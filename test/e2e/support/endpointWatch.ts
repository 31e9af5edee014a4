/**
 * Records every change of a Service's EndpointSlices while a fault runs: which pod address was
 * ready, serving or terminating, and when. Printed next to a failed request's send time, it says
 * whether the Service had a ready endpoint at that moment (a refused connection with one ready
 * is the network's doing, not the rollout's).
 */
import { ChildProcess, spawn } from "child_process";

/** A running watch; `stop` ends the kubectl process (by its pid) and returns the timeline. */
export interface EndpointWatch {
    readonly stop: () => string[];
}

interface SliceJson {
    metadata?: { name?: string };
    endpoints?: {
        addresses?: string[];
        targetRef?: { name?: string };
        conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
    }[];
}

/** One line per slice state: "<time> <slice>: <pod>@<ip> ready|serving|terminating, …". */
function describeSlice(slice: SliceJson): string {
    const endpoints = (slice.endpoints ?? []).map((e) => {
        const c = e.conditions ?? {};
        const flags = [c.ready === true ? "ready" : "", c.serving === true ? "serving" : "", c.terminating === true ? "terminating" : ""];
        return `${e.targetRef?.name ?? "?"}@${e.addresses?.[0] ?? "?"} ${flags.filter(Boolean).join("+") || "not-serving"}`;
    });
    return `${slice.metadata?.name ?? "?"}: ${endpoints.join(", ") || "no endpoints"}`;
}

/** Starts `kubectl get endpointslices --watch -o json` for `service` in `namespace`. */
export function watchEndpoints(kubeconfig: string, namespace: string, service: string, env: NodeJS.ProcessEnv): EndpointWatch {
    const lines: string[] = [];
    const child: ChildProcess = spawn(
        "kubectl",
        [
            "--kubeconfig",
            kubeconfig,
            "-n",
            namespace,
            "get",
            "endpointslices",
            "-l",
            `kubernetes.io/service-name=${service}`,
            "--watch",
            "-o",
            "json",
        ],
        { env, stdio: ["ignore", "pipe", "ignore"] },
    );
    // kubectl prints each object as indented JSON that ends with a "}" alone at column 0.
    let buffered = "";
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
        buffered += chunk;
        let end = buffered.indexOf("\n}\n");
        while (end >= 0) {
            const text = buffered.slice(0, end + 2);
            buffered = buffered.slice(end + 3);
            try {
                lines.push(`${new Date().toISOString()} ${describeSlice(JSON.parse(text) as SliceJson)}`);
            } catch {
                lines.push(`${new Date().toISOString()} (unreadable watch event)`);
            }
            end = buffered.indexOf("\n}\n");
        }
    });
    return {
        stop: () => {
            if (child.pid !== undefined && child.exitCode === null) child.kill("SIGTERM");
            return lines;
        },
    };
}
