import assert from "node:assert/strict";
import { test } from "node:test";
import { spawnService } from "./support/service";

const VALID = { REDIS_HOST: "127.0.0.1", PGHOST: "127.0.0.1", PGPASSWORD: "x" };

test("an invalid variable stops the built service with exit 1, naming variable, value and rule", async () => {
  const service = await spawnService({ ...VALID, CACHE_TTL_SECONDS: "soon" });
  assert.equal(await service.exit, 1);
  const stderr = service.output();
  assert.match(stderr, /CACHE_TTL_SECONDS="soon"\s+must be an integer from 1 to 2592000/);
});

test("every problem is reported in one run, and a missing required variable is named", async () => {
  const service = await spawnService({ PGPASSWORD: "x", PORT: "80000", REDIS_TLS: "yes" });
  assert.equal(await service.exit, 1);
  const out = service.output();
  assert.match(out, /4 problems/);
  assert.match(out, /PORT="80000"\s+must be an integer from 1 to 65535/);
  assert.match(out, /REDIS_HOST=\(unset\)\s+is required/);
  assert.match(out, /REDIS_TLS="yes"\s+must be "true" or "false"/);
  assert.match(out, /PGHOST=\(unset\)\s+is required/);
  const structured = service.logEvents().find((e) => e["msg"] === "invalid configuration");
  assert.ok(structured, out);
  assert.equal(structured["level"], "error");
});

test("an unreadable *_FILE secret is an error naming the variable and path", async () => {
  const env: Record<string, string> = { ...VALID, PGPASSWORD_FILE: "/nonexistent/pg_password" };
  delete env["PGPASSWORD"];
  const service = await spawnService(env);
  assert.equal(await service.exit, 1);
  assert.match(service.output(), /PGPASSWORD_FILE="\/nonexistent\/pg_password"\s+must name a readable file/);
});
