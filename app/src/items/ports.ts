import type { Item, ItemInput } from "./item";

/** Durable item storage (PostgreSQL in production). */
export interface ItemStore {
  /** The item, or undefined when no row has this id. */
  get(id: number): Promise<Item | undefined>;
  /** Inserts and returns the new item with its assigned id. */
  create(input: ItemInput): Promise<Item>;
  /** Replaces name and data; undefined when no row has this id. */
  update(id: number, input: ItemInput): Promise<Item | undefined>;
}

/** Read-through cache of items (Redis in production). Every method may reject when the cache is down. */
export interface ItemCache {
  /** The cached item, or undefined on a miss. */
  get(id: number): Promise<Item | undefined>;
  /** Stores the item with the cache's TTL. */
  set(item: Item): Promise<void>;
  /** Removes the cached copy so the next read goes to the store. */
  delete(id: number): Promise<void>;
}
