import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { httpRequest } from "./support/http";
import { captureOutput, freePort, own, stopChild, waitUntil } from "./support/processes";

/** The app package root (tests run from test-dist/test). */
const APP_DIR = join(__dirname, "..", "..");

/** The uid:gid the image runs as; the deploy code's securityContext must match. */
const SERVICE_UID = 10001;

function read(name: string): string {
  return readFileSync(join(APP_DIR, name), "utf8");
}

/** Dockerfile instructions with line continuations joined and comments dropped. */
function instructions(dockerfile: string): string[] {
  return dockerfile
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

describe("Dockerfile", () => {
  const lines = instructions(read("Dockerfile"));
  const froms = lines.filter((l) => l.startsWith("FROM "));
  const runtime = lines.slice(lines.indexOf(froms.at(-1) ?? ""));
  /** The instructions of stage `name` (from its FROM to the next). */
  const stage = (name: string) => {
    const start = lines.findIndex((l) => l.startsWith("FROM ") && l.endsWith(` AS ${name}`));
    const next = lines.findIndex((l, i) => i > start && l.startsWith("FROM "));
    return lines.slice(start, next < 0 ? undefined : next);
  };

  test("takes the base image as a build argument with a public default, used by every stage", () => {
    assert.equal(lines[0], "ARG NODE_IMAGE=node:20-bookworm-slim");
    assert.deepEqual(froms, [
      "FROM ${NODE_IMAGE} AS deps",
      "FROM deps AS build",
      "FROM deps AS prod-deps",
      "FROM ${NODE_IMAGE} AS runtime",
    ]);
  });

  test("installs with npm ci, builds from src, and prunes dev dependencies in a stage that never sees src", () => {
    assert.ok(stage("deps").includes("RUN npm ci --no-audit --no-fund"), stage("deps").join("\n"));
    assert.ok(stage("build").includes("RUN npm run build"), stage("build").join("\n"));
    // An edit of src/ must not invalidate the production dependencies (the inner loop rebuilds only dist).
    assert.deepEqual(stage("prod-deps").slice(1), ["RUN npm prune --omit=dev --no-audit --no-fund"]);
    assert.ok(!stage("deps").some((l) => l.includes("src")), "deps must not copy src");
  });

  test("runtime stage copies only dist and production node_modules, runs as a numeric user, exec-form CMD", () => {
    const copies = runtime.filter((l) => l.startsWith("COPY "));
    assert.deepEqual(
      copies.map((l) => [l.split(/\s+/)[1], l.split(/\s+/).at(-1)]),
      [
        ["--from=build", "./package.json"],
        ["--from=prod-deps", "./node_modules"],
        ["--from=build", "./dist"],
      ],
    );
    assert.ok(runtime.includes(`USER ${SERVICE_UID}:${SERVICE_UID}`));
    assert.ok(runtime.includes("EXPOSE 8080"));
    assert.equal(runtime.at(-1), 'CMD ["node", "dist/main.js"]');
    assert.equal(runtime.filter((l) => l.startsWith("RUN ")).length, 0, "the runtime stage must not run commands");
  });

  test(".dockerignore keeps local builds, tests and docs out of the context", () => {
    const ignored = read(".dockerignore")
      .split("\n")
      .map((l) => l.trim());
    for (const entry of ["node_modules", "dist", "test", "*.md", ".git", ".env"]) assert.ok(ignored.includes(entry), entry);
  });
});

describe("compose.yaml", () => {
  interface ComposeService {
    image?: string;
    build?: { context: string; args?: Record<string, string> };
    environment?: Record<string, string>;
    depends_on?: Record<string, { condition: string }>;
    healthcheck?: { test: string[] };
    user?: string;
    read_only?: boolean;
  }
  const compose = parse(read("compose.yaml")) as { services: Record<string, ComposeService> };

  test("runs app, redis and postgres; the app waits for healthy data services", () => {
    assert.deepEqual(Object.keys(compose.services).sort(), ["app", "postgres", "redis"]);
    const app = compose.services["app"];
    assert.ok(app);
    assert.deepEqual(app.depends_on, { redis: { condition: "service_healthy" }, postgres: { condition: "service_healthy" } });
    for (const name of ["app", "redis", "postgres"]) assert.ok(compose.services[name]?.healthcheck?.test.length, `${name} healthcheck`);
    assert.equal(app.user, `${SERVICE_UID}:${SERVICE_UID}`);
    assert.equal(app.read_only, true);
  });

  test("the app gets the documented environment contract, passwords from .env", () => {
    const env = compose.services["app"]?.environment ?? {};
    for (const name of [
      "PORT",
      "REDIS_HOST",
      "REDIS_PORT",
      "REDIS_PASSWORD",
      "REDIS_TLS",
      "PGHOST",
      "PGPORT",
      "PGDATABASE",
      "PGUSER",
      "PGPASSWORD",
      "PGSSLMODE",
      "CACHE_TTL_SECONDS",
      "SHUTDOWN_TIMEOUT_MS",
      "LOG_LEVEL",
    ]) {
      assert.ok(name in env, name);
    }
    assert.match(env["PGPASSWORD"] ?? "", /^\$\{POSTGRES_PASSWORD:\?/);
    assert.match(env["REDIS_PASSWORD"] ?? "", /^\$\{REDIS_PASSWORD:\?/);
    const example = read(".env.example");
    assert.match(example, /^POSTGRES_PASSWORD=/m);
    assert.match(example, /^REDIS_PASSWORD=/m);
  });

  test("validates with the Compose CLI when one is installed", (t) => {
    const candidates: [string, string[]][] = [
      ["docker", ["compose"]],
      ["docker-compose", []],
    ];
    const cli = candidates.find(([cmd, pre]) => spawnSync(cmd, [...pre, "version"], { encoding: "utf8" }).status === 0);
    if (cli === undefined) {
      t.skip("neither `docker compose` nor `docker-compose` is installed; the structural checks above still ran");
      return;
    }
    const [cmd, pre] = cli;
    const result = spawnSync(
      cmd,
      [...pre, "--env-file", join(APP_DIR, ".env.example"), "-f", join(APP_DIR, "compose.yaml"), "config", "--quiet"],
      {
        encoding: "utf8",
      },
    );
    assert.equal(result.status, 0, result.stderr);
  });
});

describe("runtime layout of the image", { timeout: 120000 }, () => {
  test("with production dependencies only, as uid 10001 in an unwritable directory, the service boots and is live", async (t) => {
    // Reproduces the image's runtime stage without a container engine: pruned node_modules plus
    // dist, owned by root and read-only, started as the image's numeric user.
    const root = mkdtempSync(join(tmpdir(), "app-test-image-"));
    t.after(() => {
      setWritable(root, true);
      rmSync(root, { recursive: true, force: true });
    });
    const appDir = join(root, "app");
    for (const entry of ["package.json", "package-lock.json", "node_modules", "dist"]) {
      cpSync(join(APP_DIR, entry), join(appDir, entry), { recursive: true });
    }
    const prune = spawnSync("npm", ["prune", "--omit=dev", "--no-audit", "--no-fund", "--offline"], { cwd: appDir, encoding: "utf8" });
    assert.equal(prune.status, 0, prune.stderr);
    assert.equal(existsSync(join(appDir, "node_modules", "typescript")), false, "dev dependencies must be pruned");
    assert.equal(existsSync(join(appDir, "node_modules", "yaml")), false, "dev dependencies must be pruned");
    rmSync(join(appDir, "package-lock.json"));
    // mkdtemp makes the directory private to root; the service user must be able to enter it.
    chmodSync(root, 0o755);
    setWritable(root, false);

    const asRoot = process.getuid?.() === 0;
    const port = await freePort();
    const closed = await freePort();
    const child = spawn(process.execPath, ["dist/main.js"], {
      cwd: appDir,
      ...(asRoot ? { uid: SERVICE_UID, gid: SERVICE_UID } : {}),
      env: {
        PATH: process.env["PATH"] ?? "/usr/bin:/bin",
        HOME: "/nonexistent",
        PORT: String(port),
        REDIS_HOST: "127.0.0.1",
        REDIS_PORT: String(closed),
        PGHOST: "127.0.0.1",
        PGPORT: String(closed),
        PGPASSWORD: "x",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    own(child);
    const output = captureOutput(child);
    t.after(() => stopChild(child, "SIGTERM"));
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitUntil(async () => {
      if (child.exitCode !== null) throw new Error(`service exited ${child.exitCode}:\n${output()}`);
      return (await httpRequest(baseUrl, "GET", "/healthz").catch(() => undefined))?.status === 200;
    }, "/healthz");
    assert.equal((await httpRequest(baseUrl, "GET", "/readyz")).status, 503, "no data services are running");
    assert.equal(await stopChild(child, "SIGTERM"), 0, output());
  });
});

/** Adds or removes every write bit across a tree (Node has no recursive chmod); symlinks are left alone. */
function setWritable(path: string, writable: boolean): void {
  const stats = lstatSync(path);
  if (stats.isSymbolicLink()) return;
  const mode = writable ? (stats.mode | 0o200) & 0o7777 : stats.mode & 0o7777 & ~0o222;
  // A directory must stay writable while its entries are changed, so it is handled last when locking, first when unlocking.
  if (writable) chmodSync(path, mode);
  if (stats.isDirectory()) for (const entry of readdirSync(path)) setWritable(join(path, entry), writable);
  if (!writable) chmodSync(path, mode);
}
