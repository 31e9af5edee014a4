import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CacheAsideItems } from "../src/items/cache-aside";
import type { Item, ItemInput } from "../src/items/item";
import type { ItemCache, ItemStore } from "../src/items/ports";
import { itemCacheKey, RedisItemCache, type RedisCommands } from "../src/items/redis-cache";
import { createLogger } from "../src/logger";
import { Metrics, renderMetrics } from "../src/metrics";

const silent = createLogger("error", () => undefined);

class MemoryStore implements ItemStore {
  readonly rows = new Map<number, Item>();
  reads = 0;
  private next = 1;

  async get(id: number): Promise<Item | undefined> {
    this.reads += 1;
    return this.rows.get(id);
  }
  async create(input: ItemInput): Promise<Item> {
    const item = { id: this.next++, ...input, updatedAt: "2026-11-25T00:00:00.000Z" };
    this.rows.set(item.id, item);
    return item;
  }
  async update(id: number, input: ItemInput): Promise<Item | undefined> {
    if (!this.rows.has(id)) return undefined;
    const item = { id, ...input, updatedAt: "2026-11-25T00:00:01.000Z" };
    this.rows.set(id, item);
    return item;
  }
}

class MemoryCache implements ItemCache {
  readonly entries = new Map<number, Item>();
  down = false;

  private check(): void {
    if (this.down) throw new Error("The client is closed");
  }
  async get(id: number): Promise<Item | undefined> {
    this.check();
    return this.entries.get(id);
  }
  async set(item: Item): Promise<void> {
    this.check();
    this.entries.set(item.id, item);
  }
  async delete(id: number): Promise<void> {
    this.check();
    this.entries.delete(id);
  }
}

function setup(): { items: CacheAsideItems; store: MemoryStore; cache: MemoryCache; metrics: Metrics } {
  const store = new MemoryStore();
  const cache = new MemoryCache();
  const metrics = new Metrics();
  return { items: new CacheAsideItems(store, cache, metrics, silent), store, cache, metrics };
}

describe("CacheAsideItems", () => {
  test("the first read misses and fills the cache, the second hits without touching the store", async () => {
    const { items, store, metrics } = setup();
    const created = await items.create({ name: "a", data: {} });
    assert.deepEqual(await items.get(created.id), { item: created, cache: "miss" });
    assert.deepEqual(await items.get(created.id), { item: created, cache: "hit" });
    assert.equal(store.reads, 1);
    const snapshot = metrics.snapshot();
    assert.equal(snapshot.cacheHits, 1);
    assert.equal(snapshot.cacheMisses, 1);
  });

  test("absent items are not cached", async () => {
    const { items, cache } = setup();
    assert.deepEqual(await items.get(7), { item: undefined, cache: "miss" });
    assert.equal(cache.entries.size, 0);
  });

  test("an update drops the cached copy", async () => {
    const { items, cache } = setup();
    const created = await items.create({ name: "a", data: {} });
    await items.get(created.id);
    assert.ok(cache.entries.has(created.id));
    const updated = await items.update(created.id, { name: "b", data: { x: 1 } });
    assert.equal(updated?.name, "b");
    assert.equal(cache.entries.has(created.id), false);
    assert.deepEqual(await items.get(created.id), { item: updated, cache: "miss" });
  });

  test("with the cache down, reads come from the store and count as misses; writes still succeed", async () => {
    const { items, cache, metrics } = setup();
    const created = await items.create({ name: "a", data: {} });
    cache.down = true;
    assert.deepEqual(await items.get(created.id), { item: created, cache: "miss" });
    assert.equal((await items.update(created.id, { name: "b", data: {} }))?.name, "b");
    assert.match(renderMetrics(metrics.snapshot()), /^cache_misses_total 1$/m);
  });
});

describe("RedisItemCache", () => {
  test("stores JSON under a versioned key with the configured TTL", async () => {
    const calls: unknown[][] = [];
    const stored = new Map<string, string>();
    const redis: RedisCommands = {
      get: async (key) => stored.get(key) ?? null,
      set: async (key, value, options) => {
        calls.push(["set", key, options]);
        stored.set(key, value);
      },
      del: async (key) => (stored.delete(key) ? 1 : 0),
    };
    const cache = new RedisItemCache(redis, 42);
    const item: Item = { id: 3, name: "n", data: { a: [1] }, updatedAt: "2026-11-25T00:00:00.000Z" };
    await cache.set(item);
    assert.deepEqual(calls, [["set", "items:v1:3", { EX: 42 }]]);
    assert.deepEqual(await cache.get(3), item);
    await cache.delete(3);
    assert.equal(await cache.get(3), undefined);
    assert.equal(itemCacheKey(3), "items:v1:3");
  });

  test("a command that never answers is abandoned as a timeout", async () => {
    const hung: RedisCommands = { get: () => new Promise(() => undefined), set: async () => "OK", del: async () => 0 };
    await assert.rejects(new RedisItemCache(hung, 60).get(1), /redis GET timed out/);
  });
});
