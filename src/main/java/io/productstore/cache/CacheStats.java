package io.productstore.cache;

/**
 * Statistics of the cache, as served by {@code GET /api/cache/stats}; counters are totals
 * of this instance since it started.
 *
 * @param hits reads served from Redis
 * @param misses reads that found no entry and were served by an origin load
 * @param hitRatio {@code hits / (hits + misses)}, 0 before any read
 * @param originReads origin reads made to fill the cache
 * @param lockWaits loads that waited for another lock holder
 * @param staleWritesRejected stores refused because a write happened during the load
 * @param errors Redis or decoding errors recovered from
 * @param circuitBreaker state of the Redis circuit breaker ({@code DISABLED} when the
 * cache is off)
 * @param keys keys in this namespace (all instances), -1 if Redis could not be asked
 */
public record CacheStats(long hits, long misses, double hitRatio, long originReads, long lockWaits,
		long staleWritesRejected, long errors, String circuitBreaker, long keys) {

}
