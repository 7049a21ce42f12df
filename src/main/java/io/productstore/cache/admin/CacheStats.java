package io.productstore.cache.admin;

import io.productstore.cache.changes.ChangeStreamStats;
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
 * @param changeStream the state of invalidation from MongoDB's change stream (null until
 * the admin route adds it)
 */
public record CacheStats(long hits, long misses, double hitRatio, long originReads, long lockWaits,
		long staleWritesRejected, long errors, String circuitBreaker, long keys, long nearHits, long redisHits,
		NearCacheStats near, long earlyRefreshes, ChangeStreamStats changeStream) {

	/** The statistics of the engine itself, without the change stream's. */
	public CacheStats(long hits, long misses, double hitRatio, long originReads, long lockWaits,
			long staleWritesRejected, long errors, String circuitBreaker, long keys, long nearHits, long redisHits,
			NearCacheStats near, long earlyRefreshes) {
		this(hits, misses, hitRatio, originReads, lockWaits, staleWritesRejected, errors, circuitBreaker, keys,
				nearHits, redisHits, near, earlyRefreshes, null);
	}

	/**
	 * These statistics with the change stream's.
	 * @param changeStream the change stream's state
	 * @return the statistics
	 */
	public CacheStats withChangeStream(ChangeStreamStats changeStream) {
		return new CacheStats(this.hits, this.misses, this.hitRatio, this.originReads, this.lockWaits,
				this.staleWritesRejected, this.errors, this.circuitBreaker, this.keys, this.nearHits, this.redisHits,
				this.near, this.earlyRefreshes, changeStream);
	}

}
