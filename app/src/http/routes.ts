/** Route patterns, used as the `route` metric label so raw paths never explode cardinality. */
export type RoutePattern = "/healthz" | "/readyz" | "/metrics" | "/items" | "/items/:id" | "unmatched";

/** A matched route and its path parameter, if any. */
export interface RouteMatch {
  readonly pattern: RoutePattern;
  /** The raw `:id` segment of `/items/:id`, not yet validated. */
  readonly id?: string;
}

const FIXED: ReadonlyMap<string, RoutePattern> = new Map<string, RoutePattern>([
  ["/healthz", "/healthz"],
  ["/readyz", "/readyz"],
  ["/metrics", "/metrics"],
  ["/items", "/items"],
]);

/** Matches a URL path (query string already removed); a trailing slash is tolerated. */
export function matchRoute(pathname: string): RouteMatch {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  const fixed = FIXED.get(path);
  if (fixed !== undefined) return { pattern: fixed };
  const item = /^\/items\/([^/]+)$/.exec(path);
  if (item?.[1] !== undefined) return { pattern: "/items/:id", id: decodeURIComponent(item[1]) };
  return { pattern: "unmatched" };
}

/** Methods each route answers; anything else gets 405 with this list in `Allow`. */
export const ALLOWED_METHODS: Readonly<Record<Exclude<RoutePattern, "unmatched">, readonly string[]>> = {
  "/healthz": ["GET", "HEAD"],
  "/readyz": ["GET", "HEAD"],
  "/metrics": ["GET", "HEAD"],
  "/items": ["POST"],
  "/items/:id": ["GET", "PUT"],
};
