import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test, type TestContext } from "node:test";
import { httpRequest, json, metricValue } from "./support/http";
import { type PostgresServer, type RedisServer, startPostgres, startRedis } from "./support/servers";
import { type ServiceProcess, serviceEnv, spawnService, waitForReadiness } from "./support/service";
import { waitUntil } from "./support/processes";

interface ItemBody {
  id: number;
  name: string;
  data: Record<string, unknown>;
}

describe("service against real Redis and PostgreSQL", { timeout: 180000 }, () => {
  let redis: RedisServer;
  let pg: PostgresServer;
  let databases = 0;

  before(async () => {
    [redis, pg] = await Promise.all([startRedis(), startPostgres()]);
  });

  after(async () => {
    await Promise.allSettled([redis?.dispose(), pg?.dispose()]);
  });

  /**
   * A fresh database per test, so each one starts from an unmigrated schema, and an empty Redis,
   * since ids restart at 1 in every database and would collide in the shared cache.
   */
  async function freshDatabase(): Promise<string> {
    redis.flush();
    databases += 1;
    const name = `app_test_${databases}`;
    await pg.createDatabase(name);
    return name;
  }

  /** Starts the service on a fresh database, waits until ready, and stops it after the test. */
  async function readyService(t: TestContext, overrides: Record<string, string> = {}): Promise<ServiceProcess> {
    const service = await spawnService(serviceEnv(redis, pg, await freshDatabase(), overrides));
    t.after(() => service.stop());
    await waitForReadiness(service, 200);
    return service;
  }

  async function createItem(service: ServiceProcess, name: string): Promise<ItemBody> {
    const created = await httpRequest(service.baseUrl, "POST", "/items", { name, data: { colour: "blue" } });
    assert.equal(created.status, 201, created.text);
    const item = json<ItemBody>(created);
    assert.equal(created.headers["location"], `/items/${item.id}`);
    return item;
  }

  async function cacheCounters(service: ServiceProcess): Promise<{ hits: number; misses: number; text: string }> {
    const res = await httpRequest(service.baseUrl, "GET", "/metrics");
    assert.equal(res.status, 200);
    assert.match(String(res.headers["content-type"]), /^text\/plain; version=0\.0\.4/);
    return { hits: metricValue(res.text, "cache_hits_total"), misses: metricValue(res.text, "cache_misses_total"), text: res.text };
  }

  test("a read misses, then hits the cache, and the metrics counters move", async (t) => {
    const service = await readyService(t);
    const item = await createItem(service, "first");
    const before = await cacheCounters(service);

    const first = await httpRequest(service.baseUrl, "GET", `/items/${item.id}`);
    assert.equal(first.status, 200, first.text);
    assert.equal(first.headers["x-cache"], "miss");
    assert.deepEqual(json<ItemBody>(first), item);

    const second = await httpRequest(service.baseUrl, "GET", `/items/${item.id}`);
    assert.equal(second.status, 200);
    assert.equal(second.headers["x-cache"], "hit");
    assert.deepEqual(json<ItemBody>(second), item);

    const afterReads = await cacheCounters(service);
    assert.equal(afterReads.misses - before.misses, 1);
    assert.equal(afterReads.hits - before.hits, 1);
    assert.match(afterReads.text, /^http_requests_total\{method="GET",route="\/items\/:id",status="200"\} 2$/m);
    assert.match(afterReads.text, /^http_requests_total\{method="POST",route="\/items",status="201"\} 1$/m);
    assert.match(afterReads.text, /^http_request_duration_seconds_count\{method="GET",route="\/items\/:id"\} 2$/m);

    const missing = await httpRequest(service.baseUrl, "GET", "/items/999999");
    assert.equal(missing.status, 404);
    assert.equal(missing.headers["x-cache"], "miss");
  });

  test("PUT updates PostgreSQL and invalidates the cached copy", async (t) => {
    const service = await readyService(t);
    const item = await createItem(service, "before");
    await httpRequest(service.baseUrl, "GET", `/items/${item.id}`);
    const cached = await httpRequest(service.baseUrl, "GET", `/items/${item.id}`);
    assert.equal(cached.headers["x-cache"], "hit");

    const updated = await httpRequest(service.baseUrl, "PUT", `/items/${item.id}`, { name: "after" });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(json<ItemBody>(updated).name, "after");

    const reread = await httpRequest(service.baseUrl, "GET", `/items/${item.id}`);
    assert.equal(reread.headers["x-cache"], "miss", "the PUT must have dropped the cached entry");
    assert.equal(json<ItemBody>(reread).name, "after");
    assert.deepEqual(json<ItemBody>(reread).data, {});

    const absent = await httpRequest(service.baseUrl, "PUT", "/items/999999", { name: "x" });
    assert.equal(absent.status, 404);
    const invalid = await httpRequest(service.baseUrl, "PUT", `/items/${item.id}`, { name: "" });
    assert.equal(invalid.status, 400);
  });

  test("while Redis is down reads fall back to PostgreSQL and /readyz is 503; both recover without a restart", async (t) => {
    const service = await readyService(t);
    const item = await createItem(service, "survivor");
    await httpRequest(service.baseUrl, "GET", `/items/${item.id}`);

    await redis.stop();
    try {
      await waitForReadiness(service, 503, 10000);
      const ready = await httpRequest(service.baseUrl, "GET", "/readyz");
      const body = json<{ checks: { redis: string; postgres: string } }>(ready);
      assert.notEqual(body.checks.redis, "ok");
      assert.equal(body.checks.postgres, "ok");
      assert.equal((await httpRequest(service.baseUrl, "GET", "/healthz")).status, 200, "liveness must not follow Redis");

      const before = await cacheCounters(service);
      const fallback = await httpRequest(service.baseUrl, "GET", `/items/${item.id}`);
      assert.equal(fallback.status, 200, fallback.text);
      assert.equal(fallback.headers["x-cache"], "miss");
      assert.equal(json<ItemBody>(fallback).name, "survivor");
      assert.equal((await cacheCounters(service)).misses - before.misses, 1);
    } finally {
      await redis.start();
    }

    await waitForReadiness(service, 200, 10000);
    // The restarted Redis is empty (no persistence): one miss refills it, then it hits again.
    assert.equal((await httpRequest(service.baseUrl, "GET", `/items/${item.id}`)).headers["x-cache"], "miss");
    assert.equal((await httpRequest(service.baseUrl, "GET", `/items/${item.id}`)).headers["x-cache"], "hit");
  });

  test("SIGTERM lets a request in flight finish, then the process exits 0", async (t) => {
    const service = await readyService(t, { DEBUG_DELAY_MAX_MS: "5000" });
    const item = await createItem(service, "slow");

    const startedAt = Date.now();
    const slow = httpRequest(service.baseUrl, "GET", `/items/${item.id}?delay_ms=1500`);
    // The request must have reached the handler before the signal, or it would just be refused.
    await waitUntil(
      () => service.logEvents().some((e) => e["msg"] === "test delay hook holding request"),
      "the slow request to be in flight",
    );
    service.child.kill("SIGTERM");

    const response = await slow;
    assert.equal(response.status, 200, response.text);
    assert.equal(json<ItemBody>(response).name, "slow");
    assert.ok(Date.now() - startedAt >= 1500, "the response must have waited for the delay");
    assert.equal(response.headers["connection"], "close");
    assert.equal(await service.exit, 0, service.output());

    const messages = service.logEvents().map((e) => e["msg"]);
    assert.ok(messages.includes("shutdown started"), service.output());
    assert.ok(messages.includes("shutdown complete"), service.output());
    await assert.rejects(httpRequest(service.baseUrl, "GET", "/healthz"), "the listener must be closed");
  });

  test("migration is idempotent: two concurrent starts and a restart on the same database", async (t) => {
    const database = await freshDatabase();
    const env = serviceEnv(redis, pg, database);
    const [a, b] = await Promise.all([spawnService(env), spawnService(env)]);
    t.after(() => Promise.all([a.stop(), b.stop()]));
    await Promise.all([waitForReadiness(a, 200), waitForReadiness(b, 200)]);
    const item = await createItem(a, "kept");
    assert.equal(await a.stop(), 0, a.output());
    assert.equal(await b.stop(), 0, b.output());

    const again = await spawnService(env);
    t.after(() => again.stop());
    await waitForReadiness(again, 200);
    const read = await httpRequest(again.baseUrl, "GET", `/items/${item.id}`);
    assert.equal(read.status, 200, read.text);
    assert.equal(json<ItemBody>(read).name, "kept");
    for (const service of [a, b, again]) {
      assert.ok(
        service.logEvents().some((e) => e["msg"] === "schema migration applied"),
        service.output(),
      );
    }
  });

  test("passwords can come from *_FILE variables (Docker Swarm secrets)", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "app-test-secrets-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, "pg_password"), pg.password + "\n");
    writeFileSync(join(dir, "redis_password"), redis.password + "\n");
    const env = serviceEnv(redis, pg, await freshDatabase(), {
      PGPASSWORD_FILE: join(dir, "pg_password"),
      REDIS_PASSWORD_FILE: join(dir, "redis_password"),
    });
    delete env["PGPASSWORD"];
    delete env["REDIS_PASSWORD"];
    const service = await spawnService(env);
    t.after(() => service.stop());
    await waitForReadiness(service, 200);
    assert.equal((await createItem(service, "from secrets")).name, "from secrets");
  });
});
