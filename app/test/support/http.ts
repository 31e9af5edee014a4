import { request } from "node:http";

/** A finished HTTP exchange as the tests see it. */
export interface HttpResult {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

/**
 * One request on a fresh connection (no agent, no keep-alive), so connections never outlive a
 * test or keep a stopping service busy.
 */
export function httpRequest(baseUrl: string, method: string, path: string, body?: unknown): Promise<HttpResult> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, baseUrl),
      {
        method,
        agent: false,
        headers: payload === undefined ? {} : { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** Parses a JSON response body. */
export function json<T>(result: HttpResult): T {
  return JSON.parse(result.text) as T;
}

/** Reads one un-labelled sample (e.g. `cache_hits_total`) from Prometheus text; NaN when absent. */
export function metricValue(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
}
