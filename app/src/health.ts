import { withTimeout } from "./timeout";

/** What readiness depends on; each probe rejects when its dependency does not answer. */
export interface ReadinessProbes {
  readonly redis: () => Promise<void>;
  readonly postgres: () => Promise<void>;
  /** True once the schema migration has succeeded. */
  readonly migrated: () => boolean;
}

/** Per-dependency result: "ok" or the reason it failed. */
export interface ReadinessReport {
  /** True only when every check is "ok". */
  readonly ready: boolean;
  /** Each dependency's result, returned in the `/readyz` body for operators. */
  readonly checks: { readonly redis: string; readonly postgres: string; readonly migrations: string };
}

/**
 * Longest wait for one dependency: room for a TLS handshake to a managed service, yet an answer
 * before a probe with `timeoutSeconds: 3` gives up.
 */
export const READINESS_PROBE_TIMEOUT_MS = 2000;

async function outcome(probe: () => Promise<void>, what: string, timeoutMs: number): Promise<string> {
  try {
    await withTimeout(probe(), timeoutMs, what);
    return "ok";
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Runs every probe in parallel; ready only when Redis, PostgreSQL and the migration are all fine. */
export async function checkReadiness(probes: ReadinessProbes, timeoutMs = READINESS_PROBE_TIMEOUT_MS): Promise<ReadinessReport> {
  const [redis, postgres] = await Promise.all([
    outcome(probes.redis, "redis PING", timeoutMs),
    outcome(probes.postgres, "postgres SELECT 1", timeoutMs),
  ]);
  const migrations = probes.migrated() ? "ok" : "pending";
  return { ready: redis === "ok" && postgres === "ok" && migrations === "ok", checks: { redis, postgres, migrations } };
}
