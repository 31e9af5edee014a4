import type { IncomingMessage } from "node:http";
import type { Parsed } from "../items/item";

/** Largest accepted request body; items are small, and a bound stops memory exhaustion. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Reads and parses a JSON request body, rejecting bodies over {@link MAX_BODY_BYTES}. */
export async function readJsonBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<Parsed<unknown> & { tooLarge?: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) return { ok: false, error: `body exceeds ${maxBytes} bytes`, tooLarge: true };
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: "body must be valid JSON" };
  }
}
