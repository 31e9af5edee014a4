import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { ConfigError, parseConfig } from "./config";
import { closeRedis, connectInBackground, createRedisClient } from "./data/redis";
import { migrate } from "./data/migrate";
import { createPool } from "./data/postgres";
import { checkReadiness } from "./health";
import { createRequestHandler } from "./http/handler";
import { CacheAsideItems } from "./items/cache-aside";
import { PostgresItemStore, pingPostgres } from "./items/postgres-store";
import { RedisItemCache } from "./items/redis-cache";
import { migrateWithRetry } from "./lifecycle/migrate-with-retry";
import { installSignalHandlers, ShutdownState, type ShutdownDeps } from "./lifecycle/shutdown";
import { createLogger } from "./logger";
import { Metrics } from "./metrics";

function loadConfigOrExit(): ReturnType<typeof parseConfig> {
  try {
    return parseConfig(process.env, (path) => readFileSync(path, "utf8"));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Human-readable on stderr for `docker logs`, structured on stdout for log pipelines.
    process.stderr.write(error.message + "\n");
    createLogger("error").error("invalid configuration", { problems: error.problems });
    process.exit(1);
  }
}

function main(): void {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  const metrics = new Metrics();
  const pool = createPool(config.postgres, logger);
  const redis = createRedisClient(config.redis, logger);
  const state = new ShutdownState();
  let migrated = false;

  const items = new CacheAsideItems(new PostgresItemStore(pool), new RedisItemCache(redis, config.cacheTtlSeconds), metrics, logger);
  const server = createServer(
    createRequestHandler({
      items,
      metrics,
      logger,
      isShuttingDown: () => state.shuttingDown,
      debugDelayMaxMs: config.debugDelayMaxMs,
      readiness: () =>
        checkReadiness({
          redis: async () => {
            await redis.ping();
          },
          postgres: () => pingPostgres(pool),
          migrated: () => migrated,
        }),
    }),
  );

  const shutdown: ShutdownDeps = {
    server,
    state,
    logger,
    timeoutMs: config.shutdownTimeoutMs,
    exit: (code) => process.exit(code),
    closeResources: async () => {
      await Promise.allSettled([pool.end(), closeRedis(redis)]);
    },
  };
  installSignalHandlers(shutdown);

  server.on("error", (error) => {
    logger.error("http server failed", { error, port: config.port });
    process.exit(1);
  });
  server.listen(config.port, () => {
    logger.info("listening", {
      port: config.port,
      redis: `${config.redis.host}:${config.redis.port}`,
      postgres: `${config.postgres.host}:${config.postgres.port}/${config.postgres.database}`,
      cacheTtlSeconds: config.cacheTtlSeconds,
      debugDelayMaxMs: config.debugDelayMaxMs,
    });
  });

  connectInBackground(redis, logger);
  void migrateWithRetry(
    () => migrate(pool),
    () => state.shuttingDown,
    logger,
  ).then((ok) => {
    migrated = ok;
  });
}

main();
