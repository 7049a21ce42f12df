package io.productstore.cache.admin;

import io.productstore.cache.near.NearCacheStats;

/**
 * Statistics of the cache, as served by {@code GET /api/cache/stats}; counters are totals
 * of this instance since it started.
 *
 * @param hits reads served without reading the origin: {@code nearHits + redisHits}
 * @param misses reads that found no entry and were served by an origin load
 * @param hitRatio {@code hits / (hits + misses)}, 0 before any read
 * @param originReads origin reads made to fill the cache
 * @param lockWaits loads that waited for another lock holder
 * @param staleWritesRejected stores refused because a write happened during the load
 * @param errors Redis or decoding errors recovered from
 * @param circuitBreaker state of the Redis circuit breaker ({@code DISABLED} when the
 * cache is off)
 * @param keys keys in this namespace (all instances), -1 if Redis could not be asked
 * @param nearHits reads served from this instance's near cache (memory)
 * @param redisHits reads served from Redis
 * @param near the state of the near cache
 * @param earlyRefreshes entries refreshed in the background before they expired
 */
public record CacheStats(long hits, long misses, double hitRatio, long originReads, long lockWaits,
		long staleWritesRejected, long errors, String circuitBreaker, long keys, long nearHits, long redisHits,
		NearCacheStats near, long earlyRefreshes) {

}
