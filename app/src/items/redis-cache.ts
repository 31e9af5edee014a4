import type { Item } from "./item";
import type { ItemCache } from "./ports";
import { withTimeout } from "../timeout";

/** The few Redis commands the cache needs; the real client satisfies it and tests can fake it. */
export interface RedisCommands {
  /** GET: the value, or null when the key is absent. */
  get(key: string): Promise<string | null>;
  /** SET with EX: store and expire after `options.EX` seconds. */
  set(key: string, value: string, options: { EX: number }): Promise<unknown>;
  /** DEL: number of keys removed. */
  del(key: string): Promise<number>;
}

/** Longest wait for one cache command before treating the cache as unavailable. */
export const CACHE_COMMAND_TIMEOUT_MS = 500;

/**
 * Key of a cached item. The `v1` segment versions the cached JSON shape: changing {@link Item}
 * means bumping it, so old entries are ignored instead of misread.
 */
export function itemCacheKey(id: number): string {
  return `items:v1:${id}`;
}

/** {@link ItemCache} in Redis, entries expiring after `ttlSeconds`. */
export class RedisItemCache implements ItemCache {
  constructor(
    private readonly redis: RedisCommands,
    private readonly ttlSeconds: number,
  ) {}

  async get(id: number): Promise<Item | undefined> {
    const raw = await withTimeout(this.redis.get(itemCacheKey(id)), CACHE_COMMAND_TIMEOUT_MS, "redis GET");
    return raw === null ? undefined : (JSON.parse(raw) as Item);
  }

  async set(item: Item): Promise<void> {
    const value = JSON.stringify(item);
    await withTimeout(this.redis.set(itemCacheKey(item.id), value, { EX: this.ttlSeconds }), CACHE_COMMAND_TIMEOUT_MS, "redis SET");
  }

  async delete(id: number): Promise<void> {
    await withTimeout(this.redis.del(itemCacheKey(id)), CACHE_COMMAND_TIMEOUT_MS, "redis DEL");
  }
}
