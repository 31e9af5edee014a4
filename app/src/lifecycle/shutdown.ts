import type { Server } from "node:http";
import type { Logger } from "../logger";

/** Shared flag read by the handler (probes turn 503) and the migration retry loop (stops retrying). */
export class ShutdownState {
  private reason: string | undefined;

  /** True once shutdown has begun; never turns false again. */
  get shuttingDown(): boolean {
    return this.reason !== undefined;
  }

  /** Marks shutdown as begun; returns false if it already was. */
  begin(reason: string): boolean {
    if (this.reason !== undefined) return false;
    this.reason = reason;
    return true;
  }
}

/** What {@link gracefulShutdown} coordinates. */
export interface ShutdownDeps {
  /** The HTTP server to stop accepting on and drain. */
  readonly server: Server;
  /** Flipped first, so probes answer 503 before anything closes. */
  readonly state: ShutdownState;
  readonly logger: Logger;
  /** Closes the database pool and the Redis client, after the last request has finished. */
  readonly closeResources: () => Promise<void>;
  /** Hard limit for the whole sequence; past it the process is forced out. */
  readonly timeoutMs: number;
  /** Ends the process; injected so tests can observe the exit code. */
  readonly exit: (code: number) => void;
}

/**
 * Stops the service: probes answer 503, the listener stops accepting, in-flight requests finish,
 * pools close, exit 0. If that takes longer than `timeoutMs` the remaining connections are cut
 * and the process exits 1, so an orchestrator sees the shutdown was not clean.
 */
export function gracefulShutdown(deps: ShutdownDeps, reason: string): void {
  const { server, state, logger } = deps;
  if (!state.begin(reason)) return;
  logger.info("shutdown started", { reason, timeoutMs: deps.timeoutMs });

  const force = setTimeout(() => {
    logger.error("shutdown timed out; forcing exit", { timeoutMs: deps.timeoutMs });
    server.closeAllConnections();
    deps.exit(1);
  }, deps.timeoutMs);
  // The timer must not itself keep an otherwise finished process alive.
  force.unref();

  // close() stops accepting and drops idle keep-alive sockets; its callback runs once the busy
  // ones have answered (the handler marks those responses Connection: close).
  server.close((serverError) => {
    if (serverError !== undefined) logger.warn("http server close reported an error", { error: serverError });
    deps
      .closeResources()
      .then(() => {
        clearTimeout(force);
        logger.info("shutdown complete");
        deps.exit(0);
      })
      .catch((error: unknown) => {
        clearTimeout(force);
        logger.error("closing resources failed", { error });
        deps.exit(1);
      });
  });
}

/**
 * Wires SIGTERM (orchestrators) and SIGINT (Ctrl-C) to {@link gracefulShutdown}. A second signal
 * while shutting down exits 1 at once, for an operator who does not want to wait.
 */
export function installSignalHandlers(deps: ShutdownDeps): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    if (deps.state.shuttingDown) {
      deps.logger.warn("second signal during shutdown; exiting now", { signal });
      deps.exit(1);
      return;
    }
    gracefulShutdown(deps, signal);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
