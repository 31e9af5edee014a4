import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { CacheAsideItems } from "../items/cache-aside";
import { parseItemId, parseItemInput } from "../items/item";
import type { ReadinessReport } from "../health";
import type { Logger } from "../logger";
import { type Metrics, PROMETHEUS_CONTENT_TYPE, renderMetrics } from "../metrics";
import { sleep } from "../timeout";
import { readJsonBody } from "./body";
import { isUnavailableError } from "./errors";
import { ALLOWED_METHODS, matchRoute, type RoutePattern } from "./routes";

/** Everything the request handler needs, injected so it can be tested with fakes. */
export interface HandlerDeps {
  /** Item reads and writes (cache-aside over PostgreSQL and Redis). */
  readonly items: Pick<CacheAsideItems, "get" | "create" | "update">;
  /** Receives one observation per finished request; rendered on `/metrics`. */
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Checks the dependencies for `/readyz`; called once per probe. */
  readonly readiness: () => Promise<ReadinessReport>;
  /** True from the first shutdown signal on: probes answer 503 and connections are not kept alive. */
  readonly isShuttingDown: () => boolean;
  /** TEST ONLY: cap for `?delay_ms=`; 0 (the default) ignores the parameter. */
  readonly debugDelayMaxMs: number;
}

/** Routes whose requests are logged at debug: probes and scrapes arrive every few seconds and would drown the log. */
const QUIET_ROUTES: ReadonlySet<RoutePattern> = new Set<RoutePattern>(["/healthz", "/readyz", "/metrics"]);

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

function rejectBody(res: ServerResponse, body: { error: string; tooLarge?: boolean }): void {
  // The rest of an oversized body is never read, so the connection cannot carry another request.
  if (body.tooLarge === true) return sendJson(res, 413, { error: body.error }, { Connection: "close" });
  sendJson(res, 400, { error: body.error });
}

/** Requested test delay, bounded by the configured maximum; 0 when the hook is off or absent. */
export function requestedDelayMs(url: URL, maxMs: number): number {
  if (maxMs <= 0) return 0;
  const raw = url.searchParams.get("delay_ms");
  if (raw === null || !/^\d+$/.test(raw)) return 0;
  return Math.min(Number(raw), maxMs);
}

/**
 * Creates the HTTP request listener: routing, JSON responses, `X-Cache` on item reads, request
 * metrics and one log line per request.
 */
export function createRequestHandler(deps: HandlerDeps): RequestListener {
  const { metrics, logger } = deps;

  async function route(req: IncomingMessage, res: ServerResponse, url: URL, pattern: RoutePattern, id: string | undefined): Promise<void> {
    const method = req.method ?? "GET";
    if (pattern === "unmatched") return sendJson(res, 404, { error: `no route for ${url.pathname}` });
    const allowed = ALLOWED_METHODS[pattern];
    if (!allowed.includes(method)) {
      return sendJson(res, 405, { error: `${method} not allowed on ${pattern}` }, { Allow: allowed.join(", ") });
    }

    switch (pattern) {
      case "/healthz":
        if (deps.isShuttingDown()) return sendJson(res, 503, { status: "shutting down" });
        return sendJson(res, 200, { status: "ok" });
      case "/readyz": {
        if (deps.isShuttingDown()) return sendJson(res, 503, { status: "shutting down" });
        const report = await deps.readiness();
        return sendJson(res, report.ready ? 200 : 503, { status: report.ready ? "ready" : "not ready", checks: report.checks });
      }
      case "/metrics": {
        const text = renderMetrics(metrics.snapshot());
        res.writeHead(200, { "Content-Type": PROMETHEUS_CONTENT_TYPE, "Content-Length": Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      case "/items": {
        const body = await readJsonBody(req);
        if (!body.ok) return rejectBody(res, body);
        const input = parseItemInput(body.value);
        if (!input.ok) return sendJson(res, 400, { error: input.error });
        const item = await deps.items.create(input.value);
        return sendJson(res, 201, item, { Location: `/items/${item.id}` });
      }
      case "/items/:id": {
        const itemId = parseItemId(id ?? "");
        if (itemId === undefined) return sendJson(res, 400, { error: "id must be a positive integer" });
        if (method === "GET") {
          const read = await deps.items.get(itemId);
          const headers = { "X-Cache": read.cache };
          if (read.item === undefined) return sendJson(res, 404, { error: `item ${itemId} not found` }, headers);
          return sendJson(res, 200, read.item, headers);
        }
        const body = await readJsonBody(req);
        if (!body.ok) return rejectBody(res, body);
        const input = parseItemInput(body.value);
        if (!input.ok) return sendJson(res, 400, { error: input.error });
        const item = await deps.items.update(itemId, input.value);
        if (item === undefined) return sendJson(res, 404, { error: `item ${itemId} not found` });
        return sendJson(res, 200, item);
      }
    }
  }

  return (req, res) => {
    const started = process.hrtime.bigint();
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://service.invalid");
    const { pattern, id } = matchRoute(url.pathname);
    // During shutdown the server has stopped accepting; closing kept-alive sockets after each
    // response lets in-flight clients finish and lets server.close() complete.
    if (deps.isShuttingDown()) res.setHeader("Connection", "close");

    res.on("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeRequest({ method, route: pattern, status: res.statusCode }, seconds);
      const log = QUIET_ROUTES.has(pattern) ? logger.debug : logger.info;
      log("request", { method, path: url.pathname, route: pattern, status: res.statusCode, durationMs: Math.round(seconds * 1000) });
    });

    const delay = requestedDelayMs(url, deps.debugDelayMaxMs);
    if (delay > 0) logger.debug("test delay hook holding request", { method, path: url.pathname, delayMs: delay });
    (delay > 0 ? sleep(delay) : Promise.resolve())
      .then(() => route(req, res, url, pattern, id))
      .catch((error: unknown) => {
        logger.error("request failed", { method, path: url.pathname, error });
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (isUnavailableError(error)) {
          sendJson(res, 503, { error: "database unavailable; retry shortly" }, { "Retry-After": "1" });
        } else {
          sendJson(res, 500, { error: "internal error" });
        }
      });
  };
}
