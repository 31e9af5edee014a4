/**
 * A minimal Docker Engine API client: one request function over a unix socket or tcp, JSON in
 * and out. Dynamic providers serialise the functions they call into state, so everything here
 * captures only the built-in `http` module and plain values.
 */
import * as http from "http";

/** Engine API version every request is pinned to: dockerd 20.10 speaks it, newer engines accept it. */
export const ENGINE_API_VERSION = "v1.41";

/** Where the engine listens: a unix socket path, or a tcp host and port. */
export type EngineAddress = { readonly socketPath: string } | { readonly host: string; readonly port: number };

/** An Engine API answer: the status code and the decoded JSON body (undefined when empty). */
export interface EngineResponse {
    readonly status: number;
    readonly body: unknown;
}

/**
 * Turns a Docker endpoint (`unix:///path`, `tcp://host:port`) into a socket address.
 * `ssh://` is rejected: it needs the docker CLI's ssh transport, which this client does not have.
 */
export function engineAddress(endpoint: string): EngineAddress {
    if (endpoint.startsWith("unix://")) return { socketPath: endpoint.slice("unix://".length) };
    const tcp = /^tcp:\/\/([^:/]+)(?::(\d+))?\/?$/.exec(endpoint);
    if (tcp) return { host: tcp[1], port: tcp[2] === undefined ? 2375 : Number(tcp[2]) };
    throw new Error(
        `docker endpoint ${endpoint} is not supported: use unix:///path/docker.sock or tcp://host:port (for ssh, forward the socket: ssh -L)`,
    );
}

/** Sends one request to the engine at `endpoint` and resolves with its status and JSON body; rejects only on transport errors. */
export function engineRequest(
    endpoint: string,
    method: string,
    path: string,
    body?: unknown,
    headers?: Readonly<Record<string, string>>,
): Promise<EngineResponse> {
    const address = engineAddress(endpoint);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
        const request = http.request(
            {
                ...address,
                method,
                path: `/${ENGINE_API_VERSION}${path}`,
                headers: {
                    ...headers,
                    ...(payload === undefined ? {} : { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload) }),
                },
                timeout: 60_000,
            },
            (response) => {
                const chunks: Buffer[] = [];
                response.on("data", (chunk: Buffer) => chunks.push(chunk));
                response.on("end", () => {
                    const text = Buffer.concat(chunks).toString("utf8");
                    let parsed: unknown = undefined;
                    if (text.length > 0) {
                        try {
                            parsed = JSON.parse(text);
                        } catch {
                            parsed = { message: text };
                        }
                    }
                    resolve({ status: response.statusCode ?? 0, body: parsed });
                });
                response.on("error", reject);
            },
        );
        request.on("timeout", () => request.destroy(new Error(`docker ${method} ${path}: no answer within 60 s`)));
        request.on("error", reject);
        if (payload !== undefined) request.write(payload);
        request.end();
    });
}

/** The engine's error message of a response, or its status. */
export function engineMessage(response: EngineResponse): string {
    const body = response.body as { message?: unknown } | undefined;
    return typeof body?.message === "string" ? body.message : `HTTP ${response.status}`;
}

/** Sends a request and returns the body; any status outside 2xx (and outside `accept`) throws with the engine's message. */
export async function engineCall<T>(
    endpoint: string,
    method: string,
    path: string,
    body?: unknown,
    accept: readonly number[] = [],
): Promise<T | undefined> {
    const response = await engineRequest(endpoint, method, path, body);
    if ((response.status >= 200 && response.status < 300) || accept.includes(response.status)) return response.body as T | undefined;
    throw new Error(`docker ${method} ${path}: ${engineMessage(response)} (HTTP ${response.status})`);
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
