package io.productstore.cache;

import java.time.Duration;

import io.productstore.cache.near.InvalidationBus;
import io.productstore.cache.near.NearCache;
import io.productstore.cache.outage.CacheResilience;
import io.productstore.cache.redis.CacheKeys;
import io.productstore.cache.redis.RedisWrites;
import reactor.core.publisher.Mono;

/**
 * The write path, in the order it runs after the origin write: Redis (or, when it cannot
 * be reached, the outage journal), then this instance's near cache, then every other
 * instance's through the invalidation bus. None of the steps fails the write, and all of
 * them together take at most one Redis timeout: what has not reached Redis and the other
 * instances by then is journaled, so the cache serves nothing from Redis until the
 * recovery has replayed it and told every instance to drop its copies.
 */
final class WritePath {

	private final boolean enabled;

	private final CacheKeys namespace;

	private final CacheResilience resilience;

	private final RedisWrites redis;

	private final NearCache near;

	private final InvalidationBus bus;

	private final Duration budget;

	WritePath(CacheProperties properties, CacheResilienceProperties resilienceProperties, CacheResilience resilience,
			RedisWrites redis, NearCache near, InvalidationBus bus) {
		this.enabled = properties.enabled();
		this.namespace = new CacheKeys(properties.keyPrefix());
		this.resilience = resilience;
		this.redis = redis;
		this.near = near;
		this.bus = bus;
		this.budget = resilienceProperties.timeout();
	}

	Mono<Void> written(String region, String id, Object valueOrNull, Long version, boolean bumpGeneration) {
		if (!this.enabled) {
			return Mono.empty();
		}
		String nearKey = this.namespace.nearItem(region, id);
		Runnable journal = () -> journal(region, id, version, bumpGeneration);
		Mono<Void> redis = this.resilience.afterFirstRecovery(this.resilience.underCurrentEpoch(
				(keys) -> this.redis.written(keys, region, id, valueOrNull, version, bumpGeneration), journal));
		Mono<Void> here = Mono.fromRunnable(() -> dropHere(region, nearKey, bumpGeneration));
		// Published even with this instance's near cache off: others may have theirs on.
		Mono<Boolean> others = this.bus.itemWritten(nearKey)
			.zipWith(bumpGeneration ? this.bus.queriesChanged(region) : Mono.just(true), Boolean::logicalAnd);
		return redis.then(here).then(Mono.defer(() -> others)).doOnNext((published) -> {
			if (!published) {
				journal.run();
			}
		}).then().timeout(this.budget, Mono.fromRunnable(() -> {
			dropHere(region, nearKey, bumpGeneration);
			journal.run();
		}));
	}

	private void dropHere(String region, String nearKey, boolean bumpGeneration) {
		this.near.invalidateItem(nearKey);
		if (bumpGeneration) {
			this.near.invalidateQueries(this.namespace.nearQueries(region));
		}
	}

	/** Replayed (Redis steps again, then every instance told) once Redis answers. */
	private void journal(String region, String id, Long version, boolean bumpGeneration) {
		this.resilience.missedItem(region, id, version);
		if (bumpGeneration) {
			this.resilience.missedGeneration(region);
		}
	}

}
