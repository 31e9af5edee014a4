/**
 * Helpers of the fault e2e tests on the local platform: a bounded HTTP load generator (fixed
 * request count, fixed pace, a time limit, stops by itself) and a crash that kills every process
 * of a state folder at once, as a power loss or a reboot would.
 */
import * as fs from "fs";
import * as http from "http";
import { alive, pidFiles } from "./localPlatform";

/** What a bounded load run saw. */
export interface LoadResult {
    /** Requests sent (all of them unless the time limit cut the run short). */
    readonly sent: number;
    /** Answers with a 2xx status. */
    readonly ok: number;
    /** Everything else: connection errors, timeouts, non-2xx statuses, counted by kind. */
    readonly failed: number;
    readonly failures: Readonly<Record<string, number>>;
    /** When each failed request was sent (epoch ms), in send order: places failures against a fault's timeline. */
    readonly failedSentAt: readonly number[];
    /** Wall-clock span of the run, first request sent to last answer. */
    readonly startedAt: number;
    readonly endedAt: number;
}

/** Shape of a bounded load run. */
export interface LoadOptions {
    /** Full URL requested with GET, e.g. an item of the app. */
    readonly url: string;
    /** Exactly this many requests are sent, one every `intervalMs`. */
    readonly requests: number;
    readonly intervalMs: number;
    /** Each request fails after this long without a complete answer. */
    readonly requestTimeoutMs: number;
    /** The run stops sending at this limit even if not every request was sent. */
    readonly timeLimitMs: number;
}

/**
 * Sends `requests` GETs at a fixed pace on loopback, each on a new connection (no keep-alive
 * pool: every request goes through the NodePort's load balancing again, as separate clients do),
 * and resolves once every sent request has answered or failed.
 */
export async function boundedLoad(options: LoadOptions): Promise<LoadResult> {
    const failures: Record<string, number> = {};
    const failedSentAt: number[] = [];
    let ok = 0;
    let sent = 0;
    const startedAt = Date.now();
    const pending: Promise<void>[] = [];
    const one = (sentAt: number) =>
        new Promise<void>((resolve) => {
            const fail = (kind: string) => {
                failures[kind] = (failures[kind] ?? 0) + 1;
                failedSentAt.push(sentAt);
            };
            const req = http.get(options.url, { agent: false, timeout: options.requestTimeoutMs }, (res) => {
                res.resume();
                res.on("end", () => {
                    const status = res.statusCode ?? 0;
                    if (status >= 200 && status < 300) ok += 1;
                    else fail(`HTTP ${status}`);
                    resolve();
                });
                res.on("error", (e: NodeJS.ErrnoException) => {
                    fail(e.code ?? e.message);
                    resolve();
                });
            });
            req.on("timeout", () => {
                req.destroy(new Error("timeout"));
            });
            req.on("error", (e: NodeJS.ErrnoException) => {
                fail(e.code ?? e.message);
                resolve();
            });
        });
    while (sent < options.requests && Date.now() - startedAt < options.timeLimitMs) {
        pending.push(one(Date.now()));
        sent += 1;
        await new Promise((r) => setTimeout(r, options.intervalMs));
    }
    await Promise.all(pending);
    failedSentAt.sort((a, b) => a - b);
    return { sent, ok, failed: failedSentAt.length, failures, failedSentAt, startedAt, endedAt: Date.now() };
}

/** How many of a run's failed requests were sent before `from` or after `to` (epoch ms): outside a fault's window. */
export function failedOutside(load: LoadResult, from: number, to: number): number {
    return load.failedSentAt.filter((t) => t < from || t > to).length;
}

/** The parent pid of a process, or undefined when it is gone. */
function parentOf(pid: number): number | undefined {
    try {
        // Field 4 of /proc/<pid>/stat, after the command name in parentheses (which may hold spaces).
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch {
        return undefined;
    }
}

/**
 * Kills with SIGKILL, at once, every live process named by a pid file of `state` (the platform's
 * daemons, containerd's shims and container inits) and all their descendants (dockerd's own
 * containerd, the containers' processes): nothing gets to clean up, as after a power loss.
 * Unlike a reboot, what lives outside processes stays: mounts, network namespaces, the bridge,
 * iptables rules, sockets and pid files. Returns the pids killed.
 */
export function crashPlatform(state: string): number[] {
    const roots = new Set(
        pidFiles(state)
            .map((p) => p.pid)
            .filter(alive),
    );
    const victims = new Set(roots);
    const all = fs
        .readdirSync("/proc")
        .filter((d) => /^\d+$/.test(d))
        .map(Number);
    // Descendants: repeat until no new child of a victim turns up.
    for (let grew = true; grew;) {
        grew = false;
        for (const pid of all) {
            const parent = parentOf(pid);
            if (!victims.has(pid) && parent !== undefined && victims.has(parent)) {
                victims.add(pid);
                grew = true;
            }
        }
    }
    for (const pid of victims) {
        try {
            process.kill(pid, "SIGKILL");
        } catch {
            // Already gone.
        }
    }
    return [...victims];
}

/** kube-proxy's klog time stamp ("I1207 10:09:49.682661") as epoch ms, in the local time zone klog writes. */
function klogTime(line: string, year: number): number | undefined {
    const m = /^[IWEF](\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})/.exec(line);
    if (!m) return undefined;
    const [month, day, hour, minute, second, ms] = m.slice(1).map(Number);
    return new Date(year, month - 1, day, hour, minute, second, ms).getTime();
}

/**
 * The lines of kube-proxy's log (the node runs it with `--v 2`, which logs every iptables sync
 * with its start and its end) written within `marginMs` of any of `times` (epoch ms), each
 * prefixed with its offset from the nearest time. A refused request next to a sync says the
 * rules were being rewritten when its SYN arrived; one far from every sync says they were not.
 */
export function proxyLogNear(logFile: string, times: readonly number[], marginMs = 3000): string[] {
    if (times.length === 0 || !fs.existsSync(logFile)) return [];
    const year = new Date(times[0]).getFullYear();
    const out: string[] = [];
    for (const line of fs.readFileSync(logFile, "utf8").split("\n")) {
        const at = klogTime(line, year);
        if (at === undefined) continue;
        const nearest = times.reduce((best, t) => (Math.abs(t - at) < Math.abs(best - at) ? t : best));
        const offset = at - nearest;
        if (Math.abs(offset) <= marginMs) out.push(`${offset >= 0 ? "+" : ""}${offset} ms: ${line.slice(0, 240)}`);
    }
    return out;
}
