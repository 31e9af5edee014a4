import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chownSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { postgresBinaries, redisBinaries } from "./binaries";
import { canConnect, captureOutput, freePort, own, stopChild, waitUntil } from "./processes";

/** A real redis-server on 127.0.0.1, stoppable and restartable on the same port. */
export interface RedisServer {
  readonly port: number;
  readonly password: string;
  /** Stops the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** Empties every key, so a test never reads another test's cached items. */
  flush(): void;
  /** Stops it for good and removes its temp dir. */
  dispose(): Promise<void>;
}

/** A real PostgreSQL (the newest installed) on 127.0.0.1 with password (SCRAM) authentication. */
export interface PostgresServer {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Creates an empty database, so each test gets its own schema state. */
  createDatabase(name: string): Promise<void>;
  /** Stops the server (fast shutdown) and removes its temp dir. */
  dispose(): Promise<void>;
}

/** Starts redis-server with a password and no persistence, in a fresh temp dir. */
export async function startRedis(): Promise<RedisServer> {
  // Throws, naming what is missing and how to install it: a missing server fails, never skips.
  const bin = redisBinaries();
  const dir = mkdtempSync(join(tmpdir(), "app-test-redis-"));
  const port = await freePort();
  const password = "redis-test-secret";
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const args = [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--dir",
      dir,
      "--save",
      "",
      "--appendonly",
      "no",
      "--requirepass",
      password,
    ];
    const started = spawn(bin.server, args, { stdio: ["ignore", "pipe", "pipe"] });
    own(started);
    const output = captureOutput(started);
    child = started;
    await waitUntil(async () => {
      if (started.exitCode !== null) throw new Error(`redis-server exited ${started.exitCode}:\n${output()}`);
      return canConnect(port);
    }, `redis-server on port ${port}`);
  };
  const stop = async (): Promise<void> => {
    if (child !== undefined) await stopChild(child, "SIGTERM");
    child = undefined;
  };

  await start();
  return {
    port,
    password,
    start,
    stop,
    flush: () => {
      // REDISCLI_AUTH keeps the password off the command line (and out of `ps`).
      const result = spawnSync(bin.cli, ["-p", String(port), "FLUSHALL"], {
        env: { ...process.env, REDISCLI_AUTH: password },
        encoding: "utf8",
      });
      if (result.status !== 0 || result.stdout.trim() !== "OK") throw new Error(`FLUSHALL failed: ${result.stdout}${result.stderr}`);
    },
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The postgres account's uid/gid when running as root (PostgreSQL refuses to run as root), else undefined. */
function postgresAccount(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number => {
    const result = spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
    if (result.status !== 0)
      throw new Error(
        "running as root, the PostgreSQL tests need a postgres account to run the server as (the postgresql package creates it); or run npm test as a non-root user",
      );
    return Number(result.stdout.trim());
  };
  return { uid: id("-u"), gid: id("-g") };
}

/** Initialises a throwaway cluster in a temp dir and starts postgres on a free loopback port. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinaries();
  const account = postgresAccount();
  const dir = mkdtempSync(join(tmpdir(), "app-test-pg-"));
  const dataDir = join(dir, "data");
  const pwFile = join(dir, "pw");
  const user = "app";
  const password = "pg-test-secret";
  writeFileSync(pwFile, password + "\n");
  if (account !== undefined) {
    chownSync(dir, account.uid, account.gid);
    chownSync(pwFile, account.uid, account.gid);
  }
  const asPostgres = account === undefined ? {} : { uid: account.uid, gid: account.gid };
  const env = { PATH: process.env["PATH"] ?? "/usr/bin:/bin", LANG: "C" };

  const init = spawnSync(
    bin.initdb,
    ["-D", dataDir, "-U", user, `--pwfile=${pwFile}`, "--auth=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync"],
    { ...asPostgres, env, encoding: "utf8" },
  );
  if (init.status !== 0) throw new Error(`initdb failed (${init.status}):\n${init.stdout}\n${init.stderr}`);

  const port = await freePort();
  // Durability settings are off because the data is thrown away; it roughly halves test time.
  const args = [
    "-D",
    dataDir,
    "-p",
    String(port),
    "-k",
    dir,
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "fsync=off",
    "-c",
    "synchronous_commit=off",
    "-c",
    "full_page_writes=off",
  ];
  const child = spawn(bin.postgres, args, { ...asPostgres, env, stdio: ["ignore", "pipe", "pipe"] });
  // SIGQUIT is PostgreSQL's immediate shutdown: the postmaster takes its backends down with it.
  own(child, "SIGQUIT");
  const output = captureOutput(child);

  const admin = (): Client => new Client({ host: "127.0.0.1", port, user, password, database: "postgres" });
  await waitUntil(
    async () => {
      if (child.exitCode !== null) throw new Error(`postgres exited ${child.exitCode}:\n${output()}`);
      const client = admin();
      try {
        await client.connect();
        await client.query("SELECT 1");
        return true;
      } catch {
        return false;
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    `postgres on port ${port}`,
    30000,
    200,
  );

  return {
    port,
    user,
    password,
    createDatabase: async (name) => {
      const client = admin();
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      } finally {
        await client.end();
      }
    },
    dispose: async () => {
      // SIGINT is PostgreSQL's fast shutdown: abort sessions, checkpoint, exit.
      await stopChild(child, "SIGINT");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
