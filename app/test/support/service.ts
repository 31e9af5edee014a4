import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { captureOutput, exited, freePort, own, stopChild, waitUntil } from "./processes";
import { httpRequest } from "./http";
import type { PostgresServer, RedisServer } from "./servers";

/** The built service entry point (`npm run build` output). */
export const SERVICE_MAIN = join(__dirname, "..", "..", "..", "dist", "main.js");

/** The service running as a child process. */
export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  /** Everything it printed so far (JSON log lines on stdout, config errors on stderr). */
  output(): string;
  /** Parsed JSON log events so far. */
  logEvents(): Record<string, unknown>[];
  /** Exit code or signal, once it has exited. */
  readonly exit: Promise<number | NodeJS.Signals>;
  /** SIGTERM and wait; returns the exit code. */
  stop(): Promise<number | NodeJS.Signals>;
}

/** The environment contract filled in for the given data servers; `overrides` win. */
export function serviceEnv(
  redis: RedisServer,
  pg: PostgresServer,
  database: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    REDIS_HOST: "127.0.0.1",
    REDIS_PORT: String(redis.port),
    REDIS_PASSWORD: redis.password,
    PGHOST: "127.0.0.1",
    PGPORT: String(pg.port),
    PGDATABASE: database,
    PGUSER: pg.user,
    PGPASSWORD: pg.password,
    LOG_LEVEL: "debug",
    ...overrides,
  };
}

/**
 * Spawns `node dist/main.js` with exactly `env` (plus PATH and a free PORT unless given), so no
 * variable from the developer's shell leaks into the contract under test.
 */
export async function spawnService(env: Record<string, string>): Promise<ServiceProcess> {
  const port = env["PORT"] ?? String(await freePort());
  const child = spawn(process.execPath, [SERVICE_MAIN], {
    env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", PORT: port, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  own(child);
  const output = captureOutput(child);
  return {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    output,
    logEvents: () =>
      output()
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    exit: exited(child),
    stop: () => stopChild(child, "SIGTERM"),
  };
}

/** Polls /readyz until it answers `status` (200 or 503). */
export async function waitForReadiness(service: ServiceProcess, status: number, timeoutMs = 15000): Promise<void> {
  await waitUntil(
    async () => {
      if (service.child.exitCode !== null) throw new Error(`service exited ${service.child.exitCode}:\n${service.output()}`);
      try {
        return (await httpRequest(service.baseUrl, "GET", "/readyz")).status === status;
      } catch {
        return false;
      }
    },
    `/readyz to answer ${status}`,
    timeoutMs,
  );
}
