/**
 * Error codes meaning "a dependency is unreachable right now" rather than a bug: socket errors,
 * and PostgreSQL SQLSTATEs for shutdown (57P01-57P03) and too many connections (53300).
 */
const UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "57P01",
  "57P02",
  "57P03",
  "53300",
]);

/**
 * True when a failed request is worth retrying (answered 503 with Retry-After), false for
 * everything else (answered 500). node-postgres reports pool and query timeouts and dropped
 * connections only through the message, hence the message test.
 */
export function isUnavailableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code: unknown = (error as { code?: unknown }).code;
  if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
  if (error instanceof AggregateError) return error.errors.some(isUnavailableError);
  return /timeout|timed out|Connection terminated/i.test(error.message);
}
