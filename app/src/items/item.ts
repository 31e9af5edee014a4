/** JSON value as parsed from a request body. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object, the shape of an item's free-form `data`. */
export type JsonObject = { [key: string]: JsonValue };

/** An item as stored in PostgreSQL and returned by the API. */
export interface Item {
  /** Database-assigned identifier, a positive integer. */
  readonly id: number;
  /** Display name, 1 to {@link MAX_NAME_LENGTH} characters. */
  readonly name: string;
  /** Free-form attributes; `{}` when none were given. */
  readonly data: JsonObject;
  /** Time of the last write, ISO 8601. */
  readonly updatedAt: string;
}

/** The writable part of an item, the body of `POST /items` and `PUT /items/:id`. */
export interface ItemInput {
  /** Display name, see {@link Item.name}. */
  readonly name: string;
  /** Free-form attributes; `{}` when the body had none. */
  readonly data: JsonObject;
}

/** Longest accepted item name; the database enforces the same bound. */
export const MAX_NAME_LENGTH = 200;

/** Outcome of validating untrusted input. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Validates a parsed JSON body as {@link ItemInput}: `name` is a required non-blank string,
 * `data` an optional object (default `{}`); other keys are rejected so typos do not pass silently.
 */
export function parseItemInput(body: unknown): Parsed<ItemInput> {
  if (!isJsonObject(body)) return { ok: false, error: "body must be a JSON object" };
  const unknownKeys = Object.keys(body).filter((k) => k !== "name" && k !== "data");
  if (unknownKeys.length > 0) return { ok: false, error: `unknown field(s): ${unknownKeys.join(", ")}; allowed: name, data` };
  const name = body["name"];
  if (typeof name !== "string" || name.trim() === "" || name.length > MAX_NAME_LENGTH) {
    return { ok: false, error: `name must be a non-blank string of at most ${MAX_NAME_LENGTH} characters` };
  }
  const data = body["data"] ?? {};
  if (!isJsonObject(data)) return { ok: false, error: "data must be a JSON object when given" };
  return { ok: true, value: { name, data } };
}

/**
 * Parses the `:id` path segment. Only plain positive integers up to 15 digits are accepted, so the
 * value always fits a JavaScript number and a PostgreSQL bigint.
 */
export function parseItemId(segment: string): number | undefined {
  if (!/^[1-9]\d{0,14}$/.test(segment)) return undefined;
  return Number(segment);
}
