import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { INSTALL_HINT, postgresBinaries, redisBinaries } from "./support/binaries";

// Where the integration tests find Redis and PostgreSQL on a machine where they are installed
// (PATH, else the Debian/Ubuntu folders), and the message when they are not: a failure that
// names what is missing, never a skip.
describe("server binaries for the integration tests", () => {
  const root = mkdtempSync(join(tmpdir(), "app-binaries-"));
  after(() => rmSync(root, { recursive: true, force: true }));

  const tool = (dir: string, name: string): string => {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, name);
    writeFileSync(file, "#!/bin/sh\n");
    chmodSync(file, 0o755);
    return file;
  };

  test("PostgreSQL in Debian's /usr/lib/postgresql/<major>/bin, off PATH: the highest major is used", () => {
    const debian = join(root, "lib-postgresql");
    for (const major of ["15", "17", "9.6"]) for (const name of ["initdb", "postgres"]) tool(join(debian, major, "bin"), name);
    assert.deepEqual(postgresBinaries(join(root, "empty-path"), debian), {
      initdb: join(debian, "17", "bin", "initdb"),
      postgres: join(debian, "17", "bin", "postgres"),
    });
  });

  test("binaries on PATH come first, both from one folder", () => {
    const onPath = join(root, "path-bin");
    tool(onPath, "initdb");
    tool(onPath, "postgres");
    tool(join(root, "half"), "initdb");
    const path = [join(root, "half"), onPath].join(":");
    assert.deepEqual(postgresBinaries(path, join(root, "no-debian")), {
      initdb: join(onPath, "initdb"),
      postgres: join(onPath, "postgres"),
    });
  });

  test("nothing installed: the error names each missing binary, where it looked and how to install", () => {
    assert.throws(
      () => postgresBinaries(join(root, "empty-path"), join(root, "no-debian")),
      (error: Error) => {
        assert.equal(
          error.message,
          `the app's integration tests need initdb, postgres, found neither on PATH nor in /usr/local/pgsql/bin: ${INSTALL_HINT}`,
        );
        return true;
      },
    );
    const redisPath = join(root, "redis-half");
    tool(redisPath, "redis-server");
    const elsewhere = join(root, "no-redis");
    assert.throws(() => redisBinaries(redisPath, [elsewhere]), {
      message: `the app's integration tests need redis-cli, found neither on PATH nor in ${elsewhere}: ${INSTALL_HINT}`,
    });
  });
});
