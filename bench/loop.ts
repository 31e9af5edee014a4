/**
 * Pure helpers of the "loop" section (bench/loopBench.ts): where an `npm run up` spends its time,
 * from the phase lines platform/up.sh prints, the engine's event log and the new pod's status.
 */

/** A line of a child's stderr with the runner's clock when it arrived. */
export interface StampedLine {
    readonly ms: number;
    readonly text: string;
}

/** One phase of platform/up.sh and how long it took. */
export interface PhaseSpan {
    readonly name: string;
    readonly ms: number;
}

/** `[  12s] up: ── docker engine` → "docker engine" (platform/stack.sh's `phase`). */
function phaseName(text: string): string | undefined {
    const match = /^\[\s*\d+s\] \w+: ── (.+)$/.exec(text.trim());
    return match?.[1];
}

/**
 * The phases of an up.sh run from its stamped stderr: each phase lasts from its "──" line to the
 * next one, the last to `endMs` (the process's exit). What came before the first phase is "start".
 */
export function phaseSpans(lines: readonly StampedLine[], startMs: number, endMs: number): PhaseSpan[] {
    const spans: PhaseSpan[] = [];
    let name = "start";
    let since = startMs;
    for (const line of lines) {
        const next = phaseName(line.text);
        if (next === undefined) continue;
        spans.push({ name, ms: line.ms - since });
        name = next;
        since = line.ms;
    }
    spans.push({ name, ms: endMs - since });
    return spans.filter((s) => s.name !== "start" || s.ms > 0);
}

/** Milliseconds of the first phase whose name starts with `prefix`, or 0. */
export function phaseMs(spans: readonly PhaseSpan[], prefix: string): number {
    return spans.find((s) => s.name.startsWith(prefix))?.ms ?? 0;
}

/** One resource step of `pulumi up`, from the engine's event log. */
export interface StepSpan {
    readonly type: string;
    readonly name: string;
    readonly op: string;
    /** Seconds (the event log's clock has a one-second resolution). */
    readonly seconds: number;
}

interface EngineEvent {
    readonly timestamp?: number;
    readonly resourcePreEvent?: { metadata?: { op?: string; urn?: string; type?: string } };
    readonly resOutputsEvent?: { metadata?: { op?: string; urn?: string; type?: string } };
}

/**
 * The steps of an `--event-log` file (one JSON event a line) that did something: each resource's
 * pre event to its outputs event. Same-steps are left out.
 */
export function stepSpans(eventLog: string): StepSpan[] {
    const started = new Map<string, number>();
    const spans: StepSpan[] = [];
    for (const raw of eventLog.split("\n")) {
        if (!raw.startsWith("{")) continue;
        let event: EngineEvent;
        try {
            event = JSON.parse(raw) as EngineEvent;
        } catch {
            continue;
        }
        const time = event.timestamp ?? 0;
        const pre = event.resourcePreEvent?.metadata;
        if (pre?.urn !== undefined) started.set(pre.urn, time);
        const out = event.resOutputsEvent?.metadata;
        if (out?.urn === undefined || out.op === undefined || out.op === "same") continue;
        const begin = started.get(out.urn);
        if (begin === undefined) continue;
        spans.push({ type: out.type ?? "", name: out.urn.slice(out.urn.lastIndexOf("::") + 2), op: out.op, seconds: time - begin });
    }
    return spans;
}

/** Seconds a step of `type` took in all (several steps of the type add up), 0 when none ran. */
export function stepSeconds(steps: readonly StepSpan[], type: string, name?: string): number {
    return steps.filter((s) => s.type === type && (name === undefined || s.name === name)).reduce((sum, s) => sum + s.seconds, 0);
}

/** The part of a pod's status the readiness split reads. */
export interface PodStatus {
    readonly status?: {
        readonly conditions?: readonly { type: string; status: string; lastTransitionTime?: string }[];
        readonly containerStatuses?: readonly { state?: { running?: { startedAt?: string } } }[];
    };
}

/** Seconds from the pod's (first) container start to its Ready condition; undefined when not ready or not started. */
export function readinessSeconds(pod: PodStatus): number | undefined {
    const started = pod.status?.containerStatuses?.[0]?.state?.running?.startedAt;
    const ready = pod.status?.conditions?.find((c) => c.type === "Ready" && c.status === "True")?.lastTransitionTime;
    if (started === undefined || ready === undefined) return undefined;
    return (Date.parse(ready) - Date.parse(started)) / 1000;
}
