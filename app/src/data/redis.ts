import { createClient } from "redis";
import type { RedisConfig } from "../config";
import type { Logger } from "../logger";

/** The Redis client type this service uses (no modules, scripts or functions). */
export type RedisClient = ReturnType<typeof createClient>;

/** Longest pause between reconnect attempts, so readiness returns soon after Redis does. */
export const MAX_RECONNECT_DELAY_MS = 1000;

/** Delay before reconnect attempt `retries` (0-based): 50 ms doubling up to {@link MAX_RECONNECT_DELAY_MS}. Never gives up. */
export function reconnectDelayMs(retries: number): number {
  return Math.min(50 * 2 ** Math.min(retries, 10), MAX_RECONNECT_DELAY_MS);
}

/**
 * Creates a Redis client that reconnects forever and rejects commands while disconnected.
 *
 * The offline queue is disabled on purpose: queued commands would make cache reads wait for Redis
 * instead of falling back to PostgreSQL. The client is not connected yet; call {@link connectInBackground}.
 */
export function createRedisClient(config: RedisConfig, logger: Logger): RedisClient {
  const common = {
    host: config.host,
    port: config.port,
    connectTimeout: 2000,
    reconnectStrategy: (retries: number) => reconnectDelayMs(retries),
  };
  const client = createClient({
    socket: config.tls ? { ...common, tls: true, servername: config.host } : common,
    password: config.password,
    disableOfflineQueue: true,
    // Detects a silently dropped connection (cloud load balancers) that TCP alone would not notice for minutes.
    pingInterval: 10000,
  });
  let down = false;
  client.on("ready", () => {
    down = false;
    logger.info("redis connected", { host: config.host, port: config.port });
  });
  // Each reconnect attempt emits an error; logging only the first keeps an outage to one line.
  client.on("error", (error: unknown) => {
    if (down) return;
    down = true;
    logger.warn("redis unavailable; reads fall back to postgres", { error });
  });
  return client;
}

/**
 * Starts connecting without blocking start-up: the service serves reads from PostgreSQL (and
 * reports not-ready) until Redis answers.
 */
export function connectInBackground(client: RedisClient, logger: Logger): void {
  client.connect().catch((error: unknown) => logger.error("redis client stopped connecting", { error }));
}

/** Closes the client: a polite QUIT when connected, an immediate disconnect otherwise. */
export async function closeRedis(client: RedisClient): Promise<void> {
  if (!client.isOpen) return;
  if (client.isReady) {
    await client.quit();
  } else {
    await client.disconnect();
  }
}
