/**
 * In-process metrics rendered in the Prometheus text exposition format (version 0.0.4).
 *
 * Written by hand rather than with prom-client: four series do not justify a dependency, and a
 * pure renderer is easy to test.
 */

/** Content type a Prometheus scraper expects for {@link renderMetrics} output. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Upper bounds (seconds) of the latency histogram buckets; `+Inf` is implied. */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Labels of one HTTP request series. */
export interface RequestLabels {
  /** HTTP method as received, e.g. GET. */
  readonly method: string;
  /** The route pattern (e.g. `/items/:id`), never the raw path, to keep cardinality bounded. */
  readonly route: string;
  /** HTTP status code sent. */
  readonly status: number;
}

/** One histogram series: cumulative counts per bucket plus sum and count. */
export interface HistogramSeries {
  /** HTTP method label. */
  readonly method: string;
  /** Route pattern label. */
  readonly route: string;
  /** Counts per bucket of {@link LATENCY_BUCKETS_SECONDS}, not yet cumulative. */
  readonly bucketCounts: readonly number[];
  /** Total of all observed durations, seconds. */
  readonly sum: number;
  /** Number of observations. */
  readonly count: number;
}

/** A frozen copy of every metric, the input of {@link renderMetrics}. */
export interface MetricsSnapshot {
  /** Request counters, one per method, route and status seen so far. */
  readonly requests: readonly (RequestLabels & { readonly count: number })[];
  /** Latency histograms, one per method and route seen so far. */
  readonly latency: readonly HistogramSeries[];
  /** Reads answered from Redis. */
  readonly cacheHits: number;
  /** Reads answered from PostgreSQL. */
  readonly cacheMisses: number;
}

interface MutableHistogram {
  method: string;
  route: string;
  bucketCounts: number[];
  sum: number;
  count: number;
}

/** Mutable metric store owned by one process; all counters start at 0. */
export class Metrics {
  private readonly requestCounts = new Map<string, RequestLabels & { count: number }>();
  private readonly histograms = new Map<string, MutableHistogram>();
  private cacheHits = 0;
  private cacheMisses = 0;

  /** Counts one finished request and records its duration in seconds. */
  observeRequest(labels: RequestLabels, durationSeconds: number): void {
    const countKey = `${labels.method} ${labels.route} ${labels.status}`;
    const counter = this.requestCounts.get(countKey) ?? { ...labels, count: 0 };
    counter.count += 1;
    this.requestCounts.set(countKey, counter);

    const histKey = `${labels.method} ${labels.route}`;
    const hist = this.histograms.get(histKey) ?? {
      method: labels.method,
      route: labels.route,
      bucketCounts: LATENCY_BUCKETS_SECONDS.map(() => 0),
      sum: 0,
      count: 0,
    };
    const bucket = LATENCY_BUCKETS_SECONDS.findIndex((bound) => durationSeconds <= bound);
    if (bucket >= 0) hist.bucketCounts[bucket] = (hist.bucketCounts[bucket] ?? 0) + 1;
    hist.sum += durationSeconds;
    hist.count += 1;
    this.histograms.set(histKey, hist);
  }

  /** Counts a read answered from Redis. */
  cacheHit(): void {
    this.cacheHits += 1;
  }

  /** Counts a read that had to go to PostgreSQL, including reads while Redis is down. */
  cacheMiss(): void {
    this.cacheMisses += 1;
  }

  /** Copies the current values so rendering never sees a half-updated series. */
  snapshot(): MetricsSnapshot {
    return {
      requests: [...this.requestCounts.values()].map((c) => ({ ...c })),
      latency: [...this.histograms.values()].map((h) => ({ ...h, bucketCounts: [...h.bucketCounts] })),
      cacheHits: this.cacheHits,
      cacheMisses: this.cacheMisses,
    };
  }
}

/** Escapes a label value as the exposition format requires (backslash, quote, newline). */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function labelSet(labels: Readonly<Record<string, string | number>>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(String(v))}"`);
  return `{${parts.join(",")}}`;
}

function byLabels<T extends { method: string; route: string }>(a: T, b: T): number {
  return a.route.localeCompare(b.route) || a.method.localeCompare(b.method);
}

/**
 * Renders a snapshot as Prometheus text. Series are sorted so output is stable for tests and diffs.
 * Metric names: `http_requests_total`, `http_request_duration_seconds`, `cache_hits_total`,
 * `cache_misses_total`.
 */
export function renderMetrics(snapshot: MetricsSnapshot): string {
  const lines: string[] = [];
  lines.push("# HELP http_requests_total HTTP requests finished, by method, route pattern and status.");
  lines.push("# TYPE http_requests_total counter");
  const requests = [...snapshot.requests].sort((a, b) => byLabels(a, b) || a.status - b.status);
  for (const r of requests) {
    lines.push(`http_requests_total${labelSet({ method: r.method, route: r.route, status: r.status })} ${r.count}`);
  }

  lines.push("# HELP http_request_duration_seconds HTTP request latency, by method and route pattern.");
  lines.push("# TYPE http_request_duration_seconds histogram");
  for (const h of [...snapshot.latency].sort(byLabels)) {
    let cumulative = 0;
    LATENCY_BUCKETS_SECONDS.forEach((bound, i) => {
      cumulative += h.bucketCounts[i] ?? 0;
      const labels = labelSet({ method: h.method, route: h.route, le: String(bound) });
      lines.push(`http_request_duration_seconds_bucket${labels} ${cumulative}`);
    });
    const base = { method: h.method, route: h.route };
    lines.push(`http_request_duration_seconds_bucket${labelSet({ ...base, le: "+Inf" })} ${h.count}`);
    lines.push(`http_request_duration_seconds_sum${labelSet(base)} ${h.sum}`);
    lines.push(`http_request_duration_seconds_count${labelSet(base)} ${h.count}`);
  }

  lines.push("# HELP cache_hits_total Item reads answered from Redis.");
  lines.push("# TYPE cache_hits_total counter");
  lines.push(`cache_hits_total ${snapshot.cacheHits}`);
  lines.push("# HELP cache_misses_total Item reads answered from PostgreSQL (not cached, or Redis unavailable).");
  lines.push("# TYPE cache_misses_total counter");
  lines.push(`cache_misses_total ${snapshot.cacheMisses}`);
  return lines.join("\n") + "\n";
}
