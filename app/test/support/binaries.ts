import { accessSync, constants, existsSync, readdirSync } from "node:fs";
import { delimiter, join } from "node:path";

/** Where Debian and Ubuntu put PostgreSQL's server binaries, one folder per major version. */
export const DEBIAN_PG_ROOT = "/usr/lib/postgresql";

/** What to run when a server binary is missing (the message names it; tests never skip). */
export const INSTALL_HINT =
  "run app/test/support/install-servers.sh (as root or with sudo), or install the Debian/Ubuntu packages redis-server and postgresql";

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** PostgreSQL major versions installed under `root` (Debian's layout), highest first. */
export function debianPostgresVersions(root: string = DEBIAN_PG_ROOT): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
}

/**
 * Finds `names` together in one folder (a server and its tools must be of one version): the
 * folders of PATH first, then `fallbacks`, in order.
 * @throws Error naming the binaries missing from every folder, where it looked, and how to install them.
 */
export function locate(
  names: readonly string[],
  fallbacks: readonly string[],
  path: string = process.env["PATH"] ?? "",
): Record<string, string> {
  const folders = [...path.split(delimiter).filter(Boolean), ...fallbacks];
  const folder = folders.find((dir) => names.every((name) => executable(join(dir, name))));
  if (folder !== undefined) return Object.fromEntries(names.map((name) => [name, join(folder, name)]));
  const missing = names.filter((name) => !folders.some((dir) => executable(join(dir, name))));
  const what = missing.length > 0 ? missing.join(", ") : `${names.join(" and ")} in one folder`;
  throw new Error(`the app's integration tests need ${what}, found neither on PATH nor in ${fallbacks.join(", ")}: ${INSTALL_HINT}`);
}

/** redis-server and redis-cli: PATH, then /usr/bin and /usr/local/bin. */
export function redisBinaries(
  path?: string,
  fallbacks: readonly string[] = ["/usr/bin", "/usr/local/bin"],
): { server: string; cli: string } {
  const found = locate(["redis-server", "redis-cli"], fallbacks, path);
  return { server: found["redis-server"], cli: found["redis-cli"] };
}

/**
 * initdb and postgres: PATH, then Debian's /usr/lib/postgresql/<major>/bin (highest major first),
 * then /usr/local/pgsql/bin (a source build). Debian keeps both off PATH.
 */
export function postgresBinaries(path?: string, debianRoot: string = DEBIAN_PG_ROOT): { initdb: string; postgres: string } {
  const folders = [...debianPostgresVersions(debianRoot).map((v) => join(debianRoot, v, "bin")), "/usr/local/pgsql/bin"];
  const found = locate(["initdb", "postgres"], folders, path);
  return { initdb: found["initdb"], postgres: found["postgres"] };
}
