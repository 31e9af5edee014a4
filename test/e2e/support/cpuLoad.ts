/**
 * A bounded CPU load for the autoscaling e2e: a few workers on keep-alive connections send GETs
 * back to back, so the app's pods (not the connection setup of this process) spend the CPU.
 * Bounded three ways: a request count, a time limit, and `stop()`; it ends by itself at the first.
 */
import * as http from "http";

/** Shape of a CPU load run. */
export interface CpuLoadOptions {
    /** Full URL requested with GET (on loopback). */
    readonly url: string;
    /** Requests in flight at once. */
    readonly concurrency: number;
    /** At most this many requests in all. */
    readonly maxRequests: number;
    /** The run stops sending after this long. */
    readonly timeLimitMs: number;
}

/** What a CPU load run did. */
export interface CpuLoadResult {
    readonly sent: number;
    readonly ok: number;
    readonly failed: number;
    readonly startedAt: number;
    readonly endedAt: number;
}

/** A running load: `done` resolves when it ended (count, time limit or stop). */
export interface CpuLoad {
    readonly done: Promise<CpuLoadResult>;
    stop(): void;
}

/** Starts the load; it ends by itself at `maxRequests` or `timeLimitMs`, or earlier on `stop()`. */
export function cpuLoad(options: CpuLoadOptions): CpuLoad {
    const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
    const startedAt = Date.now();
    let stopped = false;
    let sent = 0;
    let ok = 0;
    let failed = 0;
    const more = () => !stopped && sent < options.maxRequests && Date.now() - startedAt < options.timeLimitMs;
    const one = () =>
        new Promise<void>((resolve) => {
            sent++;
            const req = http.get(options.url, { agent, timeout: 5000 }, (res) => {
                res.resume();
                res.on("end", () => {
                    if ((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300) ok++;
                    else failed++;
                    resolve();
                });
            });
            req.on("timeout", () => req.destroy(new Error("timeout")));
            req.on("error", () => {
                failed++;
                resolve();
            });
        });
    const worker = async () => {
        while (more()) await one();
    };
    const done = Promise.all(Array.from({ length: options.concurrency }, worker)).then(() => {
        agent.destroy();
        return { sent, ok, failed, startedAt, endedAt: Date.now() };
    });
    return {
        done,
        stop: () => {
            stopped = true;
        },
    };
}
