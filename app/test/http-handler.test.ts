import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import type { ReadinessReport } from "../src/health";
import { createRequestHandler, requestedDelayMs, type HandlerDeps } from "../src/http/handler";
import { isUnavailableError } from "../src/http/errors";
import { matchRoute } from "../src/http/routes";
import type { Item, ItemInput } from "../src/items/item";
import { parseItemId, parseItemInput } from "../src/items/item";
import { createLogger } from "../src/logger";
import { Metrics } from "../src/metrics";
import { httpRequest, json } from "./support/http";

const ITEM: Item = { id: 1, name: "one", data: {}, updatedAt: "2026-11-25T00:00:00.000Z" };
const READY: ReadinessReport = { ready: true, checks: { redis: "ok", postgres: "ok", migrations: "ok" } };

describe("request handler (fake dependencies, real HTTP)", () => {
  let server: Server;
  let baseUrl: string;
  let shuttingDown = false;
  let readiness: ReadinessReport = READY;
  let failure: Error | undefined;
  const metrics = new Metrics();

  before(async () => {
    const deps: HandlerDeps = {
      items: {
        get: async (id) => {
          if (failure !== undefined) throw failure;
          return id === 1 ? { item: ITEM, cache: "hit" } : { item: undefined, cache: "miss" };
        },
        create: async (input: ItemInput) => ({ ...ITEM, id: 5, ...input }),
        update: async (id, input) => (id === 1 ? { ...ITEM, ...input } : undefined),
      },
      metrics,
      logger: createLogger("error", () => undefined),
      readiness: async () => readiness,
      isShuttingDown: () => shuttingDown,
      debugDelayMaxMs: 0,
    };
    server = createServer(createRequestHandler(deps));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("GET /items/:id answers the item with X-Cache", async () => {
    const res = await httpRequest(baseUrl, "GET", "/items/1");
    assert.equal(res.status, 200);
    assert.equal(res.headers["x-cache"], "hit");
    assert.deepEqual(json(res), ITEM);
    const missing = await httpRequest(baseUrl, "GET", "/items/2");
    assert.equal(missing.status, 404);
    assert.equal(missing.headers["x-cache"], "miss");
  });

  test("bad ids, bodies and methods are client errors", async () => {
    assert.equal((await httpRequest(baseUrl, "GET", "/items/abc")).status, 400);
    assert.equal((await httpRequest(baseUrl, "POST", "/items", { name: "" })).status, 400);
    assert.equal((await httpRequest(baseUrl, "POST", "/items", { name: "x", colour: "red" })).status, 400);
    const notAllowed = await httpRequest(baseUrl, "DELETE", "/items/1");
    assert.equal(notAllowed.status, 405);
    assert.equal(notAllowed.headers["allow"], "GET, PUT");
    assert.equal((await httpRequest(baseUrl, "GET", "/nope")).status, 404);
    assert.equal((await httpRequest(baseUrl, "POST", "/items", { name: "x".repeat(70 * 1024) })).status, 413);
  });

  test("POST /items answers 201 with the new id and a Location", async () => {
    const res = await httpRequest(baseUrl, "POST", "/items", { name: "new", data: { k: "v" } });
    assert.equal(res.status, 201);
    assert.equal(res.headers["location"], "/items/5");
    assert.deepEqual(json(res), { ...ITEM, id: 5, name: "new", data: { k: "v" } });
  });

  test("/readyz mirrors the readiness report", async () => {
    readiness = { ready: false, checks: { redis: "The client is closed", postgres: "ok", migrations: "ok" } };
    try {
      const res = await httpRequest(baseUrl, "GET", "/readyz");
      assert.equal(res.status, 503);
      assert.deepEqual(json(res), { status: "not ready", checks: readiness.checks });
    } finally {
      readiness = READY;
    }
    assert.equal((await httpRequest(baseUrl, "GET", "/readyz")).status, 200);
  });

  test("a database outage is a 503 with Retry-After, a bug a 500", async () => {
    failure = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    try {
      const outage = await httpRequest(baseUrl, "GET", "/items/1");
      assert.equal(outage.status, 503);
      assert.equal(outage.headers["retry-after"], "1");
      failure = new TypeError("cannot read properties of undefined");
      assert.equal((await httpRequest(baseUrl, "GET", "/items/1")).status, 500);
    } finally {
      failure = undefined;
    }
  });

  test("while shutting down both probes answer 503 and responses close the connection", async () => {
    shuttingDown = true;
    try {
      const health = await httpRequest(baseUrl, "GET", "/healthz");
      assert.equal(health.status, 503);
      assert.equal(health.headers["connection"], "close");
      assert.equal((await httpRequest(baseUrl, "GET", "/readyz")).status, 503);
      assert.equal((await httpRequest(baseUrl, "GET", "/items/1")).status, 200, "in-flight work is still served");
    } finally {
      shuttingDown = false;
    }
    assert.equal((await httpRequest(baseUrl, "GET", "/healthz")).status, 200);
  });

  test("requests are counted under their route pattern, not the raw path", async () => {
    await httpRequest(baseUrl, "GET", "/items/1");
    const snapshot = metrics.snapshot();
    assert.ok(snapshot.requests.some((r) => r.route === "/items/:id" && r.status === 200));
    assert.ok(snapshot.requests.every((r) => !r.route.includes("/1")));
  });
});

describe("pure request helpers", () => {
  test("matchRoute", () => {
    assert.deepEqual(matchRoute("/healthz"), { pattern: "/healthz" });
    assert.deepEqual(matchRoute("/items/"), { pattern: "/items" });
    assert.deepEqual(matchRoute("/items/42"), { pattern: "/items/:id", id: "42" });
    assert.deepEqual(matchRoute("/items/42/x"), { pattern: "unmatched" });
    assert.deepEqual(matchRoute("/"), { pattern: "unmatched" });
  });

  test("parseItemId accepts only safe positive integers", () => {
    assert.equal(parseItemId("1"), 1);
    assert.equal(parseItemId("999999999999999"), 999999999999999);
    for (const bad of ["0", "01", "-1", "1.5", "1e3", "", "9999999999999999"]) assert.equal(parseItemId(bad), undefined, bad);
  });

  test("parseItemInput", () => {
    assert.deepEqual(parseItemInput({ name: "a" }), { ok: true, value: { name: "a", data: {} } });
    assert.deepEqual(parseItemInput({ name: "a", data: { b: 1 } }), { ok: true, value: { name: "a", data: { b: 1 } } });
    for (const bad of [
      null,
      [],
      "a",
      { name: " " },
      { name: 1 },
      { name: "a", data: [] },
      { name: "a", extra: 1 },
      { name: "x".repeat(201) },
    ]) {
      assert.equal(parseItemInput(bad).ok, false, JSON.stringify(bad));
    }
  });

  test("requestedDelayMs is off by default and capped when on", () => {
    const url = new URL("http://x/items/1?delay_ms=9000");
    assert.equal(requestedDelayMs(url, 0), 0);
    assert.equal(requestedDelayMs(url, 2000), 2000);
    assert.equal(requestedDelayMs(new URL("http://x/items/1?delay_ms=15"), 2000), 15);
    assert.equal(requestedDelayMs(new URL("http://x/items/1?delay_ms=-5"), 2000), 0);
  });

  test("isUnavailableError", () => {
    assert.equal(isUnavailableError(Object.assign(new Error("x"), { code: "57P01" })), true);
    assert.equal(isUnavailableError(new Error("timeout exceeded when trying to connect")), true);
    assert.equal(isUnavailableError(new AggregateError([Object.assign(new Error("x"), { code: "ECONNREFUSED" })])), true);
    assert.equal(isUnavailableError(Object.assign(new Error("x"), { code: "23505" })), false);
    assert.equal(isUnavailableError("string"), false);
  });
});
