/**
 * Service configuration, read from environment variables only.
 *
 * The Kubernetes and Swarm deploy code sets exactly these variables, so the names and defaults
 * here are a contract: change them only together with the deploy side.
 */

/** Log levels in increasing severity; a logger drops events below its configured level. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** PostgreSQL TLS modes the service understands (a subset of libpq's `sslmode`). */
export const PG_SSL_MODES = ["disable", "require", "verify-full"] as const;

/** One of {@link PG_SSL_MODES}. */
export type PgSslMode = (typeof PG_SSL_MODES)[number];

/** Redis connection settings. */
export interface RedisConfig {
  /** Host name or IP of Redis (`REDIS_HOST`, required). */
  readonly host: string;
  /** TCP port (`REDIS_PORT`, default 6379). */
  readonly port: number;
  /** AUTH password (`REDIS_PASSWORD` or `REDIS_PASSWORD_FILE`, default none). */
  readonly password: string | undefined;
  /** Whether to speak TLS (`REDIS_TLS`, default false; managed cloud Redis needs true). */
  readonly tls: boolean;
}

/** PostgreSQL connection settings. */
export interface PostgresConfig {
  /** Host name or IP (`PGHOST`, required). */
  readonly host: string;
  /** TCP port (`PGPORT`, default 5432). */
  readonly port: number;
  /** Database name (`PGDATABASE`, default "app"). */
  readonly database: string;
  /** Role to log in as (`PGUSER`, default "app"). */
  readonly user: string;
  /** Password (`PGPASSWORD` or `PGPASSWORD_FILE`, required). */
  readonly password: string;
  /** TLS mode (`PGSSLMODE`, default "disable"; clouds need "require"). */
  readonly sslMode: PgSslMode;
}

/** The whole, validated service configuration. */
export interface AppConfig {
  /** HTTP listen port (`PORT`, default 8080). */
  readonly port: number;
  /** Cache connection (`REDIS_*`). */
  readonly redis: RedisConfig;
  /** Database connection (`PG*`, the libpq names). */
  readonly postgres: PostgresConfig;
  /** Lifetime of a cached item in seconds (`CACHE_TTL_SECONDS`, default 60). */
  readonly cacheTtlSeconds: number;
  /** Longest graceful shutdown before a forced exit (`SHUTDOWN_TIMEOUT_MS`, default 10000). */
  readonly shutdownTimeoutMs: number;
  /** Lowest level that is logged (`LOG_LEVEL`, default "info"). */
  readonly logLevel: LogLevel;
  /**
   * TEST ONLY: upper bound for the `?delay_ms=` query parameter (`DEBUG_DELAY_MAX_MS`,
   * default 0 = the parameter is ignored). Lets tests hold a request in flight.
   */
  readonly debugDelayMaxMs: number;
}

/** One rule broken by one variable. */
export interface ConfigProblem {
  /** The variable's name, e.g. `PORT`. */
  readonly variable: string;
  /** The value received, already redacted for secrets; undefined when unset. */
  readonly value: string | undefined;
  /** What a valid value looks like. */
  readonly rule: string;
}

/** Thrown by {@link parseConfig} with every problem found, not just the first. */
export class ConfigError extends Error {
  /** Each broken rule, in the order the variables are read. */
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(formatConfigProblems(problems));
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Renders problems as the multi-line message printed before exiting 1. */
export function formatConfigProblems(problems: readonly ConfigProblem[]): string {
  const noun = problems.length === 1 ? "problem" : "problems";
  const lines = problems.map((p) => {
    const shown = p.value === undefined ? "(unset)" : JSON.stringify(p.value);
    return `  ${p.variable}=${shown}  ${p.rule}`;
  });
  return [`invalid configuration: ${problems.length} ${noun} in environment variables:`, ...lines].join("\n");
}

/** Reads a secret file; injected so parsing stays testable without a file system. */
export type ReadSecretFile = (path: string) => string;

/** Environment as a plain map (the shape of `process.env`). */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parses and validates the environment into an {@link AppConfig}.
 *
 * Empty strings count as unset, because orchestrators often render an absent optional value as
 * `VAR=""`. Throws {@link ConfigError} listing every problem at once.
 */
export function parseConfig(env: Env, readSecretFile: ReadSecretFile): AppConfig {
  const reader = new EnvReader(env, readSecretFile);
  const port = reader.port("PORT", 8080);
  const redis: RedisConfig = {
    host: reader.required("REDIS_HOST", "is required: the Redis host name or IP"),
    port: reader.port("REDIS_PORT", 6379),
    password: reader.secret("REDIS_PASSWORD", false),
    tls: reader.boolean("REDIS_TLS", false),
  };
  const postgres: PostgresConfig = {
    host: reader.required("PGHOST", "is required: the PostgreSQL host name or IP"),
    port: reader.port("PGPORT", 5432),
    database: reader.optional("PGDATABASE", "app"),
    user: reader.optional("PGUSER", "app"),
    password: reader.secret("PGPASSWORD", true) ?? "",
    sslMode: reader.oneOf("PGSSLMODE", PG_SSL_MODES, "disable"),
  };
  const config: AppConfig = {
    port,
    redis,
    postgres,
    cacheTtlSeconds: reader.integer("CACHE_TTL_SECONDS", 60, 1, 30 * 24 * 3600),
    shutdownTimeoutMs: reader.integer("SHUTDOWN_TIMEOUT_MS", 10000, 100, 10 * 60 * 1000),
    logLevel: reader.oneOf("LOG_LEVEL", LOG_LEVELS, "info"),
    debugDelayMaxMs: reader.integer("DEBUG_DELAY_MAX_MS", 0, 0, 60 * 1000),
  };
  if (reader.problems.length > 0) throw new ConfigError(reader.problems);
  return config;
}

/** Collects problems instead of throwing so the user sees all of them in one run. */
class EnvReader {
  readonly problems: ConfigProblem[] = [];

  constructor(
    private readonly env: Env,
    private readonly readSecretFile: ReadSecretFile,
  ) {}

  private raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value === "" ? undefined : value;
  }

  private problem(variable: string, value: string | undefined, rule: string): void {
    this.problems.push({ variable, value, rule });
  }

  required(name: string, rule: string): string {
    const value = this.raw(name);
    if (value === undefined) this.problem(name, undefined, rule);
    return value ?? "";
  }

  optional(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    // Number("1e3") and parseInt("12abc") both accept things nobody means; demand plain digits.
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      this.problem(name, value, `must be an integer from ${min} to ${max}`);
      return fallback;
    }
    return Number(value);
  }

  port(name: string, fallback: number): number {
    return this.integer(name, fallback, 1, 65535);
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (value !== "true" && value !== "false") {
      this.problem(name, value, 'must be "true" or "false"');
      return fallback;
    }
    return value === "true";
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const match = allowed.find((a) => a === value);
    if (match === undefined) {
      this.problem(name, value, `must be one of ${allowed.join(", ")}`);
      return fallback;
    }
    return match;
  }

  /**
   * Reads `NAME` or `NAME_FILE` (Docker Swarm mounts secrets at /run/secrets/<name>).
   * Values are never echoed back: a problem shows the file path or "(redacted)" instead.
   */
  secret(name: string, required: boolean): string | undefined {
    const fileVar = `${name}_FILE`;
    const direct = this.raw(name);
    const path = this.raw(fileVar);
    if (direct !== undefined && path !== undefined) {
      this.problem(fileVar, path, `must not be set together with ${name}; set only one of them`);
      return direct;
    }
    if (path !== undefined) {
      let content: string;
      try {
        content = this.readSecretFile(path);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.problem(fileVar, path, `must name a readable file (${reason})`);
        return undefined;
      }
      // Secret files are usually written with a trailing newline that is not part of the secret.
      const secret = content.replace(/\r?\n$/, "");
      if (required && secret === "") this.problem(fileVar, path, `must name a non-empty file (it holds ${name})`);
      return secret === "" ? undefined : secret;
    }
    if (direct === undefined && required) {
      this.problem(name, undefined, `is required: set ${name} or ${fileVar} (a file holding it)`);
    }
    return direct;
  }
}
