package io.productstore.cache.admin;

import io.productstore.cache.CacheMetrics;
import io.productstore.cache.CacheProperties;
import io.productstore.cache.near.InvalidationBus;
import io.productstore.cache.near.NearCache;
import io.productstore.cache.outage.CacheResilience;
import io.productstore.cache.redis.CacheKeys;
import io.productstore.cache.redis.RedisCacheStore;
import io.productstore.logging.RequestLogging;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

/**
 * What an operator does with the whole cache: clear the namespace (Redis, this instance's
 * near cache and every other's) and read its statistics.
 */
public final class CacheAdministration {

	private static final Log logger = LogFactory.getLog(CacheAdministration.class);

	private final boolean enabled;

	private final CacheKeys keys;

	private final RedisCacheStore store;

	private final CacheResilience resilience;

	private final CacheMetrics metrics;

	private final NearCache near;

	private final InvalidationBus bus;

	/**
	 * Administration of one namespace.
	 * @param properties the cache's configuration
	 * @param store a store behind the administrative guard
	 * @param resilience the outage handling, for the breaker state
	 * @param metrics the engine's meters
	 * @param near this instance's near cache
	 * @param bus the invalidation channel to the other instances
	 */
	public CacheAdministration(CacheProperties properties, RedisCacheStore store, CacheResilience resilience,
			CacheMetrics metrics, NearCache near, InvalidationBus bus) {
		this.enabled = properties.enabled();
		this.keys = new CacheKeys(properties.keyPrefix());
		this.store = store;
		this.resilience = resilience;
		this.metrics = metrics;
		this.near = near;
		this.bus = bus;
	}

	/**
	 * Drops every key of this namespace by {@code SCAN MATCH <prefix>*} and
	 * {@code UNLINK}, never {@code FLUSHDB} or {@code KEYS}; then every near cache.
	 * @return the number of keys removed
	 */
	public Mono<Long> clear() {
		return this.store.unlinkAll(this.store.scan(this.keys.namespacePattern()))
			.doOnNext(this.metrics::evicted)
			.doOnEach(RequestLogging
				.onNext((count) -> logger.info("Cleared " + count + " cache keys under " + this.keys.namespace())))
			.flatMap((count) -> Mono.defer(this::clearNearCaches).thenReturn(count));
	}

	/**
	 * Statistics of this instance, with the key count of the namespace.
	 * @return the statistics
	 */
	public Mono<CacheStats> stats() {
		String breaker = this.enabled ? this.resilience.state() : "DISABLED";
		return this.store.scan(this.keys.namespacePattern())
			.count()
			.onErrorReturn(-1L)
			.map((count) -> snapshot(breaker, count));
	}

	private Mono<Void> clearNearCaches() {
		if (!this.enabled) {
			return Mono.empty();
		}
		this.near.invalidateAll();
		return this.bus.cleared().then();
	}

	private CacheStats snapshot(String circuitBreaker, long keys) {
		long nearHits = this.metrics.nearHits();
		long redisHits = this.metrics.redisHits();
		long hits = nearHits + redisHits;
		long misses = this.metrics.misses();
		double ratio = (hits + misses == 0) ? 0.0 : (double) hits / (hits + misses);
		return new CacheStats(hits, misses, ratio, this.metrics.originReads(), this.metrics.lockWaits(),
				this.metrics.staleWritesRejected(), this.metrics.errors(), circuitBreaker, keys, nearHits, redisHits,
				this.near.stats(), this.metrics.earlyRefreshes());
	}

}
