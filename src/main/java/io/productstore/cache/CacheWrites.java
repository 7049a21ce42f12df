package io.productstore.cache;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The write path of the cache: after an entity was written to the origin, replaces or
 * removes its entry, cancels in-flight loads and bumps its region's generation. Never
 * fails the caller's write: a step that cannot reach Redis is journaled for replay (see
 * {@link CacheResilience}), logged and counted.
 */
final class CacheWrites {

	private static final Log logger = LogFactory.getLog(CacheWrites.class);

	private static final Duration RETRY_BACKOFF = Duration.ofMillis(20);

	private final CacheProperties properties;

	private final CacheResilience resilience;

	private final CacheCodec codec;

	private final CacheMetrics metrics;

	private final RedisCacheStore store;

	private final InFlightLoads inFlight;

	CacheWrites(CacheProperties properties, CacheResilience resilience, CacheCodec codec, CacheMetrics metrics,
			RedisCacheStore store, InFlightLoads inFlight) {
		this.properties = properties;
		this.resilience = resilience;
		this.codec = codec;
		this.metrics = metrics;
		this.store = store;
		this.inFlight = inFlight;
	}

	Mono<Void> written(String region, String id, Object value, Long version, boolean bumpGeneration) {
		if (!this.properties.enabled()) {
			return Mono.empty();
		}
		return this.resilience.afterFirstRecovery(Mono.defer(() -> apply(region, id, value, version, bumpGeneration)));
	}

	private Mono<Void> apply(String region, String id, Object value, Long version, boolean bumpGeneration) {
		CacheKeys keys = this.resilience.epochHolder().keys();
		CacheKeys.ItemKeys itemKeys = keys.item(region, id);
		Duration ttl = this.properties.ttl().item();
		Mono<Void> item = Mono.defer(() -> {
			this.inFlight.forget(itemKeys.entry());
			this.inFlight.forget(fallbackKey(new CacheKeys(this.properties.keyPrefix()).item(region, id).entry()));
			return this.store.written(itemKeys, encodeOrRemove(value), ttl, version, ttl);
		}).doOnNext((applied) -> {
			if (!applied) {
				this.metrics.staleWritesRejected.increment();
			}
			else if (value == null) {
				this.metrics.evictions.increment();
			}
		}).then();
		Mono<Void> generation = bumpGeneration ? this.store.bumpGeneration(keys.generation(region)).then()
				: Mono.empty();
		Mono<Void> itemStep = resilient(item, itemKeys.entry(), () -> this.resilience.missedItem(region, id, version));
		Mono<Void> generationStep = resilient(generation, keys.generation(region),
				() -> this.resilience.missedGeneration(region));
		return Mono.when(itemStep, generationStep);
	}

	/** The in-process coalescing key of origin reads made while Redis is bypassed. */
	static String fallbackKey(String key) {
		return key + ":fallback";
	}

	/**
	 * Retries briefly (both steps are safe to repeat: the write script is idempotent and
	 * a second generation bump only costs a reload), then journals the step for replay,
	 * so a Redis failure never fails the origin write that already happened and never
	 * leaves an entry older than it readable.
	 */
	private Mono<Void> resilient(Mono<Void> step, String key, Runnable journal) {
		return step.retryWhen(Retry.backoff(2, RETRY_BACKOFF).filter(CacheResilience::retryable))
			.onErrorResume((failure) -> {
				Throwable ex = Exceptions.isRetryExhausted(failure) ? failure.getCause() : failure;
				journal.run();
				if (CacheResilience.retryable(ex)) {
					this.metrics.errors.increment();
					logger.error("Cache invalidation failed for " + key + ", journaled: " + ex.getMessage());
				}
				else {
					logger.debug("Cache invalidation of " + key + " journaled: " + ex.getMessage());
				}
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
