import type { Logger } from "../logger";
import type { Metrics } from "../metrics";
import type { Item, ItemInput } from "./item";
import type { ItemCache, ItemStore } from "./ports";

/** Whether a read was answered by the cache. */
export type CacheOutcome = "hit" | "miss";

/** Result of {@link CacheAsideItems.get}: the item (undefined when absent) and where it came from. */
export interface ItemRead {
  /** The item, undefined when no row has the id. */
  readonly item: Item | undefined;
  /** "hit" when Redis answered; "miss" when PostgreSQL did, including while Redis is down. */
  readonly cache: CacheOutcome;
}

/**
 * Cache-aside item access: reads try the cache, fall back to the store and fill the cache;
 * writes go to the store and then drop the cached copy.
 *
 * The cache is an optimisation only. Any cache failure is logged and treated as a miss, so the
 * service keeps answering from PostgreSQL while Redis is down.
 */
export class CacheAsideItems {
  constructor(
    private readonly store: ItemStore,
    private readonly cache: ItemCache,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {}

  /** Reads one item; counts a cache hit or miss. Rejects only when the store fails. */
  async get(id: number): Promise<ItemRead> {
    const cached = await this.cache.get(id).catch((error: unknown) => {
      this.logger.debug("cache read failed; using postgres", { id, error });
      return undefined;
    });
    if (cached !== undefined) {
      this.metrics.cacheHit();
      return { item: cached, cache: "hit" };
    }
    this.metrics.cacheMiss();
    const item = await this.store.get(id);
    // Absent items are not cached: a later POST could not invalidate an id it has not assigned yet.
    if (item !== undefined) {
      await this.cache.set(item).catch((error: unknown) => this.logger.debug("cache fill failed", { id, error }));
    }
    return { item, cache: "miss" };
  }

  /** Creates an item in the store; nothing to invalidate since the id is new. */
  async create(input: ItemInput): Promise<Item> {
    return this.store.create(input);
  }

  /**
   * Updates the store, then deletes the cached copy. Deleting after the write (not before) means
   * a concurrent read cannot re-cache the old row after the invalidation except in a narrow race
   * that the TTL bounds. If Redis is down the delete fails; the entry then lives at most one TTL.
   */
  async update(id: number, input: ItemInput): Promise<Item | undefined> {
    const item = await this.store.update(id, input);
    if (item !== undefined) {
      await this.cache
        .delete(id)
        .catch((error: unknown) => this.logger.warn("cache invalidation failed; entry may be stale until its TTL", { id, error }));
    }
    return item;
  }
}
