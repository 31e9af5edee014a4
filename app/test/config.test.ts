import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError, type Env, parseConfig } from "../src/config";

const REQUIRED: Env = { REDIS_HOST: "redis", PGHOST: "postgres", PGPASSWORD: "pg-secret" };

function noFiles(path: string): string {
  throw new Error(`ENOENT: no such file, open '${path}'`);
}

function problemsOf(env: Env, readFile = noFiles): ConfigError["problems"] {
  try {
    parseConfig(env, readFile);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail("expected a ConfigError");
}

describe("parseConfig", () => {
  test("applies every documented default when only the required variables are set", () => {
    assert.deepEqual(parseConfig(REQUIRED, noFiles), {
      port: 8080,
      redis: { host: "redis", port: 6379, password: undefined, tls: false },
      postgres: { host: "postgres", port: 5432, database: "app", user: "app", password: "pg-secret", sslMode: "disable" },
      cacheTtlSeconds: 60,
      shutdownTimeoutMs: 10000,
      logLevel: "info",
      debugDelayMaxMs: 0,
    });
  });

  test("reads every variable of the contract", () => {
    const config = parseConfig(
      {
        ...REQUIRED,
        PORT: "9000",
        REDIS_PORT: "6380",
        REDIS_PASSWORD: "r",
        REDIS_TLS: "true",
        PGPORT: "6543",
        PGDATABASE: "items",
        PGUSER: "svc",
        PGSSLMODE: "require",
        CACHE_TTL_SECONDS: "5",
        SHUTDOWN_TIMEOUT_MS: "2500",
        LOG_LEVEL: "warn",
        DEBUG_DELAY_MAX_MS: "100",
      },
      noFiles,
    );
    assert.equal(config.port, 9000);
    assert.deepEqual(config.redis, { host: "redis", port: 6380, password: "r", tls: true });
    assert.deepEqual(config.postgres, {
      host: "postgres",
      port: 6543,
      database: "items",
      user: "svc",
      password: "pg-secret",
      sslMode: "require",
    });
    assert.equal(config.cacheTtlSeconds, 5);
    assert.equal(config.shutdownTimeoutMs, 2500);
    assert.equal(config.logLevel, "warn");
    assert.equal(config.debugDelayMaxMs, 100);
  });

  test("treats empty strings as unset", () => {
    const config = parseConfig({ ...REQUIRED, PORT: "", REDIS_PASSWORD: "", PGSSLMODE: "" }, noFiles);
    assert.equal(config.port, 8080);
    assert.equal(config.redis.password, undefined);
    assert.equal(config.postgres.sslMode, "disable");
  });

  const invalid: readonly [string, string, RegExp][] = [
    ["PORT", "0", /integer from 1 to 65535/],
    ["PORT", "8080x", /integer from 1 to 65535/],
    ["REDIS_PORT", "1e3", /integer from 1 to 65535/],
    ["PGPORT", "-1", /integer from 1 to 65535/],
    ["CACHE_TTL_SECONDS", "0", /integer from 1 to 2592000/],
    ["SHUTDOWN_TIMEOUT_MS", "10.5", /integer from 100 to 600000/],
    ["DEBUG_DELAY_MAX_MS", "600001", /integer from 0 to 60000/],
    ["REDIS_TLS", "TRUE", /"true" or "false"/],
    ["PGSSLMODE", "prefer", /one of disable, require, verify-full/],
    ["LOG_LEVEL", "verbose", /one of debug, info, warn, error/],
  ];
  for (const [variable, value, rule] of invalid) {
    test(`rejects ${variable}=${value} naming the variable, the value and the rule`, () => {
      const problems = problemsOf({ ...REQUIRED, [variable]: value });
      assert.equal(problems.length, 1);
      assert.equal(problems[0]?.variable, variable);
      assert.equal(problems[0]?.value, value);
      assert.match(problems[0]?.rule ?? "", rule);
    });
  }

  test("reports all problems at once and the message lists each", () => {
    try {
      parseConfig({ PORT: "abc" }, noFiles);
      assert.fail("expected a ConfigError");
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(
        error.problems.map((p) => p.variable),
        ["PORT", "REDIS_HOST", "PGHOST", "PGPASSWORD"],
      );
      assert.match(error.message, /^invalid configuration: 4 problems in environment variables:$/m);
      assert.match(error.message, /^ {2}PORT="abc" {2}must be an integer from 1 to 65535$/m);
      assert.match(error.message, /^ {2}PGPASSWORD=\(unset\) {2}is required: set PGPASSWORD or PGPASSWORD_FILE/m);
    }
  });

  test("reads secrets from *_FILE, dropping one trailing newline", () => {
    const files: Record<string, string> = { "/run/secrets/pg": "from-file\n", "/run/secrets/redis": "r-file\r\n" };
    const env: Env = { REDIS_HOST: "r", PGHOST: "p", PGPASSWORD_FILE: "/run/secrets/pg", REDIS_PASSWORD_FILE: "/run/secrets/redis" };
    const config = parseConfig(env, (path) => files[path] ?? noFiles(path));
    assert.equal(config.postgres.password, "from-file");
    assert.equal(config.redis.password, "r-file");
  });

  test("rejects a secret set both directly and through *_FILE, without echoing the secret", () => {
    const problems = problemsOf({ ...REQUIRED, PGPASSWORD_FILE: "/run/secrets/pg" }, () => "x");
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.variable, "PGPASSWORD_FILE");
    assert.equal(problems[0]?.value, "/run/secrets/pg");
    assert.doesNotMatch(JSON.stringify(problems), /pg-secret/);
  });

  test("rejects an unreadable or empty required secret file", () => {
    const env: Env = { REDIS_HOST: "r", PGHOST: "p", PGPASSWORD_FILE: "/missing" };
    assert.match(problemsOf(env)[0]?.rule ?? "", /readable file \(ENOENT/);
    assert.match(problemsOf(env, () => "\n")[0]?.rule ?? "", /non-empty file/);
  });
});
