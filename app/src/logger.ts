import { LOG_LEVELS, type LogLevel } from "./config";

/** Extra structured fields attached to one log event. */
export type LogFields = Readonly<Record<string, unknown>>;

/** Writes one JSON object per line: `{"time":…,"level":…,"msg":…, ...fields}`. */
export interface Logger {
  /** Detail for troubleshooting: probe and scrape requests, cache errors per read. */
  debug(msg: string, fields?: LogFields): void;
  /** Normal events: start, requests, shutdown. */
  info(msg: string, fields?: LogFields): void;
  /** Degraded but serving: Redis down, migration retry. */
  warn(msg: string, fields?: LogFields): void;
  /** A request or the process failed. */
  error(msg: string, fields?: LogFields): void;
}

/** Where finished lines go; defaults to stdout so the container runtime collects them. */
export type LineSink = (line: string) => void;

/** Clock injected for deterministic tests; defaults to the wall clock. */
export type Clock = () => Date;

/**
 * Creates a {@link Logger} that drops events below `level`.
 *
 * Errors in fields are reduced to name, message and stack because `JSON.stringify(new Error())`
 * yields `{}` and would hide exactly what an operator needs.
 */
export function createLogger(
  level: LogLevel,
  sink: LineSink = (line) => process.stdout.write(line + "\n"),
  clock: Clock = () => new Date(),
): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const emit = (eventLevel: LogLevel, msg: string, fields: LogFields | undefined): void => {
    if (LOG_LEVELS.indexOf(eventLevel) < threshold) return;
    const event: Record<string, unknown> = { time: clock().toISOString(), level: eventLevel, msg };
    for (const [key, value] of Object.entries(fields ?? {})) {
      if (key in event) continue;
      event[key] = value instanceof Error ? serializeError(value) : value;
    }
    sink(JSON.stringify(event));
  };
  return {
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
  };
}

/** Plain-object form of an error, safe for JSON. */
export function serializeError(error: Error): Record<string, string | undefined> {
  return { name: error.name, message: error.message, stack: error.stack };
}
