package io.productstore.cache;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

import io.productstore.cache.near.NearCache;
import io.productstore.cache.outage.CacheResilience;
import io.productstore.cache.redis.CacheKeys;
import io.productstore.cache.redis.InFlightLoads;
import io.productstore.cache.redis.RedisReads;
import io.productstore.logging.RequestLogging;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The read path, level by level: this instance's memory ({@link NearCache}), then Redis
 * ({@link RedisReads}) while the outage handling says it may be used
 * ({@link CacheResilience#whenAvailable}), then the origin, coalesced per key when Redis
 * is bypassed so that an outage does not turn into a herd on the origin.
 */
final class ReadPath {

	private static final Log logger = LogFactory.getLog(ReadPath.class);

	private final CacheProperties properties;

	private final CacheKeys namespace;

	private final NearCache near;

	private final CacheResilience resilience;

	private final RedisReads redis;

	private final InFlightLoads inFlight;

	private final CacheMetrics metrics;

	ReadPath(CacheProperties properties, NearCache near, CacheResilience resilience, RedisReads redis,
			InFlightLoads inFlight, CacheMetrics metrics) {
		this.properties = properties;
		this.namespace = new CacheKeys(properties.keyPrefix());
		this.near = near;
		this.resilience = resilience;
		this.redis = redis;
		this.inFlight = inFlight;
		this.metrics = metrics;
	}

	<T> Mono<CachedRead<T>> item(String region, String id, Class<T> type, Supplier<Mono<T>> origin, boolean bypass) {
		String nearKey = this.namespace.nearItem(region, id);
		return this.near.read(nearKey, nearKey, false, bypass, itemThroughRedis(nearKey, region, id, type, origin));
	}

	<T> @Nullable CachedRead<T> heldItem(String region, String id, Class<T> type, Supplier<Mono<T>> origin) {
		String nearKey = this.namespace.nearItem(region, id);
		return this.near.heldRead(nearKey, nearKey, false, itemThroughRedis(nearKey, region, id, type, origin));
	}

	private <T> Function<Boolean, Mono<CacheLookup<T>>> itemThroughRedis(String nearKey, String region, String id,
			Class<T> type, Supplier<Mono<T>> origin) {
		return (skip) -> throughRedis(nearKey,
				() -> this.redis.read(this.resilience.keys().item(region, id).entryKeys(), type, origin, skip,
						this.properties.ttl().item()),
				origin);
	}

	<T> Mono<CachedRead<T>> query(String region, QueryKind kind, String canonicalQuery, Class<T> type,
			Supplier<Mono<T>> origin, boolean bypass) {
		String nearKey = this.namespace.nearQuery(region, kind, canonicalQuery);
		Duration ttl = (kind == QueryKind.LIST) ? this.properties.ttl().list() : this.properties.ttl().count();
		return this.near.read(nearKey, this.namespace.nearQueries(region), true, bypass,
				(skip) -> throughRedis(nearKey, () -> {
					CacheKeys keys = this.resilience.keys();
					return this.redis.generation(keys.generation(region))
						.flatMap((generation) -> this.redis.read(keys.query(region, kind, generation, canonicalQuery),
								type, origin, skip, ttl));
				}, origin));
	}

	private <T> Mono<CacheLookup<T>> throughRedis(String nearKey, Supplier<Mono<CacheLookup<T>>> redis,
			Supplier<Mono<T>> origin) {
		if (!this.properties.enabled()) {
			return direct(origin).doOnNext(this::count);
		}
		return this.resilience
			.whenAvailable(
					() -> redis.get()
						.onErrorResume(CacheUnavailableException.class, (ex) -> fallback(nearKey, ex, origin)),
					() -> unavailable(nearKey, origin))
			.doOnNext(this::count);
	}

	private <T> Mono<CacheLookup<T>> fallback(String nearKey, CacheUnavailableException ex, Supplier<Mono<T>> origin) {
		if (!ex.refused()) {
			this.metrics.error();
			return RequestLogging.logThen(
					() -> logger.warn("Cache read failed, reading the origin: " + ex.getMessage()),
					() -> unavailable(nearKey, origin));
		}
		return unavailable(nearKey, origin);
	}

	/** Reads the origin without Redis, still coalesced per key. */
	private <T> Mono<CacheLookup<T>> unavailable(String nearKey, Supplier<Mono<T>> origin) {
		return this.inFlight.join(CacheKeys.fallback(nearKey), () -> direct(origin));
	}

	private <T> Mono<CacheLookup<T>> direct(Supplier<Mono<T>> origin) {
		return Mono.defer(() -> {
			this.metrics.originRead();
			return origin.get();
		})
			.map((value) -> new CacheLookup<>(value, CacheOutcome.BYPASS))
			.defaultIfEmpty(new CacheLookup<>(null, CacheOutcome.BYPASS));
	}

	private void count(CacheLookup<?> lookup) {
		this.metrics.count(lookup.outcome());
	}

}
