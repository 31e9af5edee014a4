import assert from "node:assert/strict";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import { reconnectDelayMs, MAX_RECONNECT_DELAY_MS } from "../src/data/redis";
import { sslOptions, poolConfig } from "../src/data/postgres";
import { checkReadiness } from "../src/health";
import { migrateWithRetry, migrationRetryDelayMs } from "../src/lifecycle/migrate-with-retry";
import { gracefulShutdown, ShutdownState } from "../src/lifecycle/shutdown";
import { createLogger } from "../src/logger";

function recordingLogger(): { logger: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return { logger: createLogger("debug", (line) => lines.push(JSON.parse(line) as Record<string, unknown>)), lines };
}

describe("logger", () => {
  test("writes one JSON object per event with time, level and msg, dropping lower levels", () => {
    const lines: string[] = [];
    const logger = createLogger(
      "info",
      (l) => lines.push(l),
      () => new Date("2026-11-25T10:00:00Z"),
    );
    logger.debug("hidden");
    logger.info("shown", { port: 8080, level: "ignored" });
    logger.error("failed", { error: new Error("boom") });
    assert.equal(lines.length, 2);
    assert.deepEqual(JSON.parse(lines[0] ?? ""), { time: "2026-11-25T10:00:00.000Z", level: "info", msg: "shown", port: 8080 });
    const failed = JSON.parse(lines[1] ?? "") as { error: { name: string; message: string } };
    assert.equal(failed.error.name, "Error");
    assert.equal(failed.error.message, "boom");
  });
});

describe("readiness", () => {
  test("ready only when every dependency answers and the schema is migrated", async () => {
    const ok = async (): Promise<void> => undefined;
    const down = async (): Promise<void> => {
      throw new Error("connect ECONNREFUSED");
    };
    assert.equal((await checkReadiness({ redis: ok, postgres: ok, migrated: () => true })).ready, true);
    const redisDown = await checkReadiness({ redis: down, postgres: ok, migrated: () => true });
    assert.deepEqual(redisDown, { ready: false, checks: { redis: "connect ECONNREFUSED", postgres: "ok", migrations: "ok" } });
    assert.equal((await checkReadiness({ redis: ok, postgres: ok, migrated: () => false })).checks.migrations, "pending");
    const hung = await checkReadiness({ redis: () => new Promise(() => undefined), postgres: ok, migrated: () => true }, 50);
    assert.match(hung.checks.redis, /timed out after 50 ms/);
  });
});

describe("backoff and connection options", () => {
  test("Redis reconnects quickly and never waits more than the cap", () => {
    assert.equal(reconnectDelayMs(0), 50);
    assert.equal(reconnectDelayMs(1), 100);
    assert.equal(reconnectDelayMs(1000), MAX_RECONNECT_DELAY_MS);
  });

  test("migration retries back off to 5 s", () => {
    assert.deepEqual([1, 2, 3, 10].map(migrationRetryDelayMs), [250, 500, 1000, 5000]);
  });

  test("migrateWithRetry retries until success and stops when shutdown begins", async () => {
    const { logger } = recordingLogger();
    let calls = 0;
    const flaky = async (): Promise<void> => {
      calls += 1;
      if (calls < 2) throw new Error("ECONNREFUSED");
    };
    assert.equal(await migrateWithRetry(flaky, () => false, logger), true);
    assert.equal(calls, 2);
    assert.equal(await migrateWithRetry(flaky, () => true, logger), false);
  });

  test("PGSSLMODE maps onto node-postgres ssl options", () => {
    assert.equal(sslOptions("disable"), false);
    assert.deepEqual(sslOptions("require"), { rejectUnauthorized: false });
    assert.deepEqual(sslOptions("verify-full"), { rejectUnauthorized: true });
    const config = poolConfig({ host: "h", port: 1, database: "d", user: "u", password: "p", sslMode: "require" });
    assert.deepEqual(
      [config.host, config.port, config.database, config.user, config.ssl],
      ["h", 1, "d", "u", { rejectUnauthorized: false }],
    );
  });
});

describe("gracefulShutdown", () => {
  test("closes the server, then resources, then exits 0; a second call is ignored", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const state = new ShutdownState();
    const { logger, lines } = recordingLogger();
    const order: string[] = [];
    const exitCode = new Promise<number>((resolve) => {
      const deps = {
        server,
        state,
        logger,
        timeoutMs: 5000,
        closeResources: async () => {
          order.push(server.listening ? "resources before close" : "resources");
        },
        exit: (code: number) => resolve(code),
      };
      gracefulShutdown(deps, "SIGTERM");
      gracefulShutdown(deps, "SIGTERM");
    });
    assert.equal(await exitCode, 0);
    assert.equal(state.shuttingDown, true);
    assert.deepEqual(order, ["resources"]);
    assert.deepEqual(
      lines.map((l) => l["msg"]),
      ["shutdown started", "shutdown complete"],
    );
  });

  test("cuts a request that outlasts the timeout and exits 1", async () => {
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const hungRequest = new Promise<string>((resolve) => {
      const req = request({ host: "127.0.0.1", port, path: "/", agent: false }, () => resolve("answered"));
      req.on("error", (error) => resolve(error.message));
      req.end();
    });
    await new Promise((resolve) => server.once("request", resolve));
    const { logger, lines } = recordingLogger();
    const code = await new Promise<number>((resolve) => {
      gracefulShutdown(
        { server, state: new ShutdownState(), logger, timeoutMs: 100, closeResources: async () => undefined, exit: resolve },
        "SIGTERM",
      );
    });
    assert.equal(code, 1);
    assert.equal(await hungRequest, "socket hang up");
    assert.ok(lines.some((l) => l["msg"] === "shutdown timed out; forcing exit"));
  });
});
