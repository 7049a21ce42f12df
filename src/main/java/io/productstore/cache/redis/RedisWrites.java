package io.productstore.cache.redis;

import java.time.Duration;

import io.productstore.cache.CacheMetrics;
import io.productstore.cache.CacheUnavailableException;
import io.productstore.logging.RequestLogging;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;
import reactor.util.retry.Retry;

/**
 * The write path at the Redis level: after an entity was written to the origin, replaces
 * or removes its entry, cancels in-flight loads and bumps its region's generation. Never
 * fails the caller's write: a step that cannot reach Redis is handed to
 * {@link MissedInvalidations} for replay, logged and counted.
 */
public final class RedisWrites {

	private static final Log logger = LogFactory.getLog(RedisWrites.class);

	private static final Duration RETRY_BACKOFF = Duration.ofMillis(20);

	private final Duration itemTtl;

	private final MissedInvalidations missed;

	private final CacheCodec codec;

	private final CacheMetrics metrics;

	private final RedisCacheStore store;

	private final InFlightLoads inFlight;

	public RedisWrites(Duration itemTtl, MissedInvalidations missed, CacheCodec codec, CacheMetrics metrics,
			RedisCacheStore store, InFlightLoads inFlight) {
		this.itemTtl = itemTtl;
		this.missed = missed;
		this.codec = codec;
		this.metrics = metrics;
		this.store = store;
		this.inFlight = inFlight;
	}

	/**
	 * Records a write of an entity in Redis.
	 * @param keys the keys of the current epoch
	 * @param region the region
	 * @param id the id
	 * @param value the entity as written, or null to remove its entry
	 * @param version its version after the write, or null to skip the version guard
	 * @param bumpGeneration whether the region's lists and counts change too
	 * @return completion; never an error
	 */
	public Mono<Void> written(CacheKeys keys, String region, String id, Object value, Long version,
			boolean bumpGeneration) {
		CacheKeys.ItemKeys itemKeys = keys.item(region, id);
		Mono<Void> item = Mono.deferContextual((context) -> {
			this.inFlight.forget(itemKeys.entry());
			this.inFlight.forget(CacheKeys.refresh(itemKeys.entry()));
			this.inFlight.forget(CacheKeys.fallback(keys.nearItem(region, id)));
			return this.store.written(itemKeys, encodeOrRemove(value, context), this.itemTtl, version, this.itemTtl);
		}).doOnNext((applied) -> {
			if (!applied) {
				this.metrics.staleWriteRejected();
			}
			else if (value == null) {
				this.metrics.evicted(1);
			}
		}).then();
		Mono<Void> generation = bumpGeneration ? this.store.bumpGeneration(keys.generation(region)).then()
				: Mono.empty();
		Mono<Void> itemStep = resilient(item, itemKeys.entry(), () -> this.missed.missedItem(region, id, version));
		Mono<Void> generationStep = resilient(generation, keys.generation(region),
				() -> this.missed.missedGeneration(region));
		return Mono.when(itemStep, generationStep);
	}

	/**
	 * Retries briefly (both steps are safe to repeat: the write script is idempotent and
	 * a second generation bump only costs a reload), then journals the step for replay,
	 * so a Redis failure never fails the origin write that already happened and never
	 * leaves an entry older than it readable.
	 */
	private Mono<Void> resilient(Mono<Void> step, String key, Runnable journal) {
		return step.retryWhen(Retry.backoff(2, RETRY_BACKOFF).filter(CacheUnavailableException::retryable))
			.onErrorResume((failure) -> {
				Throwable ex = Exceptions.isRetryExhausted(failure) ? failure.getCause() : failure;
				journal.run();
				boolean retryable = CacheUnavailableException.retryable(ex);
				if (retryable) {
					this.metrics.error();
				}
				return RequestLogging.logThen(() -> {
					if (retryable) {
						logger.error("Cache invalidation failed for " + key + ", journaled: " + ex.getMessage());
					}
					else {
						logger.debug("Cache invalidation of " + key + " journaled: " + ex.getMessage());
					}
				}, Mono::empty);
			});
	}

	private byte[] encodeOrRemove(Object value, ContextView context) {
		try {
			return (value != null) ? this.codec.encode(value, this.itemTtl, 0) : null;
		}
		catch (RuntimeException ex) {
			RequestLogging.log(context, () -> logger
				.warn("Could not serialize " + value.getClass().getName() + ", removing its entry instead", ex));
			return null;
		}
	}

}
