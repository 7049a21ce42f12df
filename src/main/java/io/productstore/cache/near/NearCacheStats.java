package io.productstore.cache.near;

/**
 * The near cache of this instance, in {@code GET /api/cache/stats}.
 *
 * @param state {@code ACTIVE} (filled and served), {@code SUSPENDED} (cleared and not
 * filled: the invalidation subscription is down or Redis is unavailable) or
 * {@code DISABLED}
 * @param entries entries held
 * @param invalidations entries or groups evicted by writes of any instance
 * @param suspensions times the near cache was cleared and suspended
 */
public record NearCacheStats(String state, long entries, long invalidations, long suspensions) {

}
