import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { escapeLabelValue, LATENCY_BUCKETS_SECONDS, Metrics, renderMetrics } from "../src/metrics";

describe("metrics", () => {
  test("an empty store renders help, types and zero cache counters", () => {
    const text = renderMetrics(new Metrics().snapshot());
    assert.match(text, /^# TYPE http_requests_total counter$/m);
    assert.match(text, /^# TYPE http_request_duration_seconds histogram$/m);
    assert.match(text, /^cache_hits_total 0$/m);
    assert.match(text, /^cache_misses_total 0$/m);
    assert.ok(text.endsWith("\n"), "the exposition format needs a final newline");
  });

  test("counts requests per method, route and status, sorted for stable output", () => {
    const metrics = new Metrics();
    metrics.observeRequest({ method: "GET", route: "/items/:id", status: 200 }, 0.003);
    metrics.observeRequest({ method: "GET", route: "/items/:id", status: 200 }, 0.02);
    metrics.observeRequest({ method: "GET", route: "/items/:id", status: 404 }, 0.002);
    metrics.observeRequest({ method: "POST", route: "/items", status: 201 }, 0.004);
    const lines = renderMetrics(metrics.snapshot())
      .split("\n")
      .filter((l) => l.startsWith("http_requests_total{"));
    assert.deepEqual(lines, [
      'http_requests_total{method="POST",route="/items",status="201"} 1',
      'http_requests_total{method="GET",route="/items/:id",status="200"} 2',
      'http_requests_total{method="GET",route="/items/:id",status="404"} 1',
    ]);
  });

  test("histogram buckets are cumulative and +Inf equals the count", () => {
    const metrics = new Metrics();
    for (const seconds of [0.001, 0.007, 0.3, 42]) metrics.observeRequest({ method: "GET", route: "/readyz", status: 200 }, seconds);
    const text = renderMetrics(metrics.snapshot());
    const bucket = (le: string): number => {
      const match = new RegExp(
        `^http_request_duration_seconds_bucket\\{method="GET",route="/readyz",le="${le.replace("+", "\\+")}"\\} (\\d+)$`,
        "m",
      ).exec(text);
      assert.ok(match, `bucket le=${le} missing`);
      return Number(match[1]);
    };
    assert.equal(bucket("0.005"), 1);
    assert.equal(bucket("0.01"), 2);
    assert.equal(bucket("0.5"), 3);
    assert.equal(bucket("10"), 3);
    assert.equal(bucket("+Inf"), 4);
    assert.match(text, /^http_request_duration_seconds_count\{method="GET",route="\/readyz"\} 4$/m);
    assert.match(text, /^http_request_duration_seconds_sum\{method="GET",route="\/readyz"\} 42\.308$/m);
    const series = text.split("\n").filter((l) => l.startsWith("http_request_duration_seconds_bucket"));
    assert.equal(series.length, LATENCY_BUCKETS_SECONDS.length + 1);
  });

  test("cache counters move independently", () => {
    const metrics = new Metrics();
    metrics.cacheHit();
    metrics.cacheMiss();
    metrics.cacheMiss();
    const text = renderMetrics(metrics.snapshot());
    assert.match(text, /^cache_hits_total 1$/m);
    assert.match(text, /^cache_misses_total 2$/m);
  });

  test("a snapshot does not change when the store does", () => {
    const metrics = new Metrics();
    metrics.observeRequest({ method: "GET", route: "/metrics", status: 200 }, 0.001);
    const snapshot = metrics.snapshot();
    metrics.observeRequest({ method: "GET", route: "/metrics", status: 200 }, 0.001);
    assert.equal(snapshot.requests[0]?.count, 1);
    assert.equal(snapshot.latency[0]?.count, 1);
  });

  test("label values are escaped", () => {
    assert.equal(escapeLabelValue('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
  });
});
