package io.productstore.cache;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The write path of the cache: after an entity was written to the origin, replaces or
 * removes its entry, cancels in-flight loads and bumps its region's generation. Never
 * fails the caller's write: Redis errors are logged and counted.
 */
final class CacheWrites {

	private static final Log logger = LogFactory.getLog(CacheWrites.class);

	private static final Duration RETRY_BACKOFF = Duration.ofMillis(20);

	private final CacheProperties properties;

	private final CacheKeys keys;

	private final CacheCodec codec;

	private final CacheMetrics metrics;

	private final RedisCacheStore store;

	private final InFlightLoads inFlight;

	CacheWrites(CacheProperties properties, CacheKeys keys, CacheCodec codec, CacheMetrics metrics,
			RedisCacheStore store, InFlightLoads inFlight) {
		this.properties = properties;
		this.keys = keys;
		this.codec = codec;
		this.metrics = metrics;
		this.store = store;
		this.inFlight = inFlight;
	}

	Mono<Void> written(String region, String id, Object value, Long version, boolean bumpGeneration) {
		if (!this.properties.enabled()) {
			return Mono.empty();
		}
		CacheKeys.ItemKeys itemKeys = this.keys.item(region, id);
		Duration ttl = this.properties.ttl().item();
		Mono<Void> item = Mono.defer(() -> {
			this.inFlight.forget(itemKeys.entry());
			return this.store.written(itemKeys, encodeOrRemove(value), ttl, version, ttl);
		}).doOnNext((applied) -> {
			if (!applied) {
				this.metrics.staleWritesRejected.increment();
			}
			else if (value == null) {
				this.metrics.evictions.increment();
			}
		}).then();
		Mono<Void> generation = bumpGeneration ? this.store.bumpGeneration(this.keys.generation(region)).then()
				: Mono.empty();
		return Mono.when(resilient(item, itemKeys.entry()), resilient(generation, this.keys.generation(region)));
	}

	/**
	 * Retries briefly (both steps are safe to repeat: the write script is idempotent and
	 * a second generation bump only costs a reload), then logs and counts, so a Redis
	 * failure never fails the origin write that already happened.
	 */
	private Mono<Void> resilient(Mono<Void> step, String key) {
		return step.retryWhen(Retry.backoff(2, RETRY_BACKOFF).filter(CacheUnavailableException.class::isInstance))
			.onErrorResume((ex) -> {
				this.metrics.errors.increment();
				logger.error("Cache invalidation failed for " + key + ": " + ex.getMessage());
				return Mono.empty();
			});
	}

	private byte[] encodeOrRemove(Object value) {
		try {
			return (value != null) ? this.codec.encode(value) : null;
		}
		catch (RuntimeException ex) {
			logger.warn("Could not serialize " + value.getClass().getName() + ", removing its entry instead", ex);
			return null;
		}
	}

}
