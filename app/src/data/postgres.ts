import { Pool, type PoolConfig } from "pg";
import type { ConnectionOptions } from "node:tls";
import type { PgSslMode, PostgresConfig } from "../config";
import type { Logger } from "../logger";

/** Most connections one replica opens; small because many replicas share one database. */
export const POOL_MAX_CONNECTIONS = 10;

/**
 * Maps a libpq-style `sslmode` onto node-postgres' `ssl` option.
 * "require" encrypts without verifying the certificate, exactly like libpq; "verify-full" verifies
 * the chain and the host name against the system CA store.
 */
export function sslOptions(mode: PgSslMode): false | ConnectionOptions {
  switch (mode) {
    case "disable":
      return false;
    case "require":
      return { rejectUnauthorized: false };
    case "verify-full":
      return { rejectUnauthorized: true };
  }
}

/** Builds the pool options from config; exported so tests can check them without a server. */
export function poolConfig(config: PostgresConfig): PoolConfig {
  return {
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    password: config.password,
    ssl: sslOptions(config.sslMode),
    max: POOL_MAX_CONNECTIONS,
    // Fail fast while the database is unreachable so requests get a 503 instead of hanging.
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30000,
    query_timeout: 5000,
    application_name: "platform-sample-app",
  };
}

/** Creates the connection pool. Connections open lazily, so this never fails while the database is down. */
export function createPool(config: PostgresConfig, logger: Logger): Pool {
  const pool = new Pool(poolConfig(config));
  // An idle client losing its connection emits here; without a listener the process would crash.
  pool.on("error", (error) => logger.warn("postgres idle connection failed", { error }));
  return pool;
}
