/**
 * Invalidation from MongoDB's change stream: every instance follows the change stream of
 * each collection a region caches ({@code CollectionChanges}) and invalidates what each
 * change can affect, whoever wrote it: the item (Redis and every near cache), the
 * region's lists and counts, the negative entry of an inserted id. The second, reliable
 * path next to the write path's immediate update; see "Invalidation from the change
 * stream" in {@code docs/caching.md}. Internal to the cache.
 * <p>
 * Implementation notes: an event only ever evicts (never stores the event's document), so
 * an old event can cost a reload but never bring an older value back, and it raises the
 * entry's version record, so a late write-through of an older version is refused. Each
 * event is applied to Redis by the first instance that gets to it (a per-entry "changed"
 * position in the entry's own Lua script); the others only drop their near copies. The
 * resume position in Redis is shared, because it describes Redis: every change up to it
 * has been applied there. A position that cannot be resumed from, or none at all, makes
 * the recovery bump the global epoch before Redis serves again.
 */
package io.productstore.cache.changes;
