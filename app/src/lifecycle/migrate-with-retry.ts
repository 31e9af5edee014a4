import type { Logger } from "../logger";
import { sleep } from "../timeout";

/** Delay before migration attempt `attempt` (1-based): 250 ms doubling up to 5 s. */
export function migrationRetryDelayMs(attempt: number): number {
  return Math.min(250 * 2 ** Math.min(attempt - 1, 5), 5000);
}

/**
 * Runs `migrate` until it succeeds or `shouldStop` turns true; resolves true on success.
 *
 * The database often starts after the service (compose, a fresh cluster), so a failure here is
 * retried rather than fatal; readiness stays 503 meanwhile, which is what an orchestrator needs.
 */
export async function migrateWithRetry(migrate: () => Promise<void>, shouldStop: () => boolean, logger: Logger): Promise<boolean> {
  for (let attempt = 1; !shouldStop(); attempt += 1) {
    try {
      await migrate();
      logger.info("schema migration applied", { attempt });
      return true;
    } catch (error) {
      const delayMs = migrationRetryDelayMs(attempt);
      logger.warn("schema migration failed; will retry", { attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
  return false;
}
