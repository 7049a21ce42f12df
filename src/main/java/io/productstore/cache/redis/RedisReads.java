package io.productstore.cache.redis;

import java.time.Duration;
import java.util.function.Supplier;

import io.productstore.cache.CacheLookup;
import io.productstore.cache.CacheMetrics;
import io.productstore.cache.CacheOutcome;
import io.productstore.logging.RequestLogging;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

/**
 * The read path at the Redis level: a hit is decoded (and maybe refreshed early in the
 * background); a miss joins this instance's load of the key in flight or starts one under
 * the cross-instance lock. Redis failures come out as
 * {@link io.productstore.cache.CacheUnavailableException}; what to do then is the outage
 * handling's business.
 */
public final class RedisReads {

	private static final Log logger = LogFactory.getLog(RedisReads.class);

	private final RedisCacheStore store;

	private final LeasedLoader loader;

	private final InFlightLoads inFlight;

	private final EarlyRefresh early;

	private final CacheCodec codec;

	private final CacheMetrics metrics;

	private final Duration negativeTtl;

	public RedisReads(RedisCacheStore store, LeasedLoader loader, InFlightLoads inFlight, EarlyRefresh early,
			CacheCodec codec, CacheMetrics metrics, Duration negativeTtl) {
		this.store = store;
		this.loader = loader;
		this.inFlight = inFlight;
		this.early = early;
		this.codec = codec;
		this.metrics = metrics;
		this.negativeTtl = negativeTtl;
	}

	/**
	 * Reads one entry through Redis.
	 * @param <T> the value type
	 * @param keys the entry and its lock
	 * @param type the value type
	 * @param origin reads the value from the origin; empty if there is none
	 * @param bypass skip the entry, read the origin and refresh the entry
	 * @param ttl the entry's time to live
	 * @return the value (null for a negative entry) and how it was served
	 */
	public <T> Mono<CacheLookup<T>> read(CacheKeys.EntryKeys keys, Class<T> type, Supplier<Mono<T>> origin,
			boolean bypass, Duration ttl) {
		if (bypass) {
			// Forced reloads (Cache-Control: no-cache, which any client may send) share
			// one
			// origin read per key in this instance, like misses: otherwise a burst of
			// them
			// is a burst on the origin, each also stealing the lock of the load before.
			return this.inFlight.join(CacheKeys.refresh(keys.entry()),
					() -> this.loader.refresh(keys, type, origin, ttl, this.negativeTtl));
		}
		return this.store.get(keys.entry()).flatMap((entry) -> {
			this.early.onHit(keys.entry(), entry,
					() -> this.loader.refreshEarly(keys, type, origin, ttl, this.negativeTtl));
			return hitOrDrop(keys, entry, type);
		})
			.switchIfEmpty(Mono.defer(() -> this.inFlight.join(keys.entry(),
					() -> this.loader.load(keys, type, origin, ttl, this.negativeTtl))));
	}

	/**
	 * The current list/count generation of a region.
	 * @param key the generation key
	 * @return the generation
	 */
	public Mono<Long> generation(String key) {
		return this.store.generation(key);
	}

	/**
	 * Decodes a hit; an entry that cannot be read any more (corrupt, or written for a
	 * type that has changed incompatibly) is dropped and counted, and the read becomes a
	 * miss that stores a fresh entry.
	 */
	private <T> Mono<CacheLookup<T>> hitOrDrop(CacheKeys.EntryKeys keys, byte[] entry, Class<T> type) {
		try {
			return Mono.just(new CacheLookup<>(this.codec.decode(entry, type), CacheOutcome.HIT));
		}
		catch (RuntimeException ex) {
			this.metrics.error();
			return RequestLogging.logThen(
					() -> logger.warn("Dropping unreadable cache entry " + keys.entry() + ": " + ex.getMessage()),
					() -> this.store.delete(keys.entry()).then(Mono.empty()));
		}
	}

}
