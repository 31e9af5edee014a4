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

/** One resource step of `pulumi up`, from its progress display. */
export interface StepSpan {
    readonly type: string;
    readonly name: string;
    readonly op: string;
    /** Seconds, as the display rounds them. */
    readonly seconds: number;
}

const DONE_STEP =
    /^\s*\S*\s+([\w.-]+:[\w/.-]*:\w+)\s+(\S+)\s+(created|updated|replaced|deleted|created replacement|deleted original)\s+\((\d+(?:\.\d+)?)s\)/;

/**
 * The finished steps of a `pulumi up --non-interactive` display (" ~  kubernetes:apps/v1:Deployment
 * app-web-deployment updated (9s) [diff: ~spec]"): what each resource that changed took. Steps with
 * nothing to do print no such line.
 */
export function stepSpans(display: string): StepSpan[] {
    const spans: StepSpan[] = [];
    for (const line of display.split("\n")) {
        const match = DONE_STEP.exec(line);
        if (match === null) continue;
        spans.push({ type: match[1], name: match[2], op: match[3], seconds: Number(match[4]) });
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
