package io.productstore.cache;

import io.productstore.cache.near.InvalidationBus;
import io.productstore.cache.near.NearCache;
import io.productstore.cache.outage.CacheResilience;
import io.productstore.cache.redis.CacheKeys;
import io.productstore.cache.redis.RedisWrites;
import reactor.core.publisher.Mono;

/**
 * The write path, in the order it runs after the origin write: Redis (or, when it cannot
 * be reached, the outage journal), then this instance's near cache, then every other
 * instance's through the invalidation bus. None of the steps fails the write.
 */
final class WritePath {

	private final boolean enabled;

	private final CacheKeys namespace;

	private final CacheResilience resilience;

	private final RedisWrites redis;

	private final NearCache near;

	private final InvalidationBus bus;

	WritePath(CacheProperties properties, CacheResilience resilience, RedisWrites redis, NearCache near,
			InvalidationBus bus) {
		this.enabled = properties.enabled();
		this.namespace = new CacheKeys(properties.keyPrefix());
		this.resilience = resilience;
		this.redis = redis;
		this.near = near;
		this.bus = bus;
	}

	Mono<Void> written(String region, String id, Object valueOrNull, Long version, boolean bumpGeneration) {
		if (!this.enabled) {
			return Mono.empty();
		}
		String nearKey = this.namespace.nearItem(region, id);
		Mono<Void> redis = this.resilience.afterFirstRecovery(Mono
			.defer(() -> this.redis.written(this.resilience.keys(), region, id, valueOrNull, version, bumpGeneration)));
		Mono<Void> here = Mono.fromRunnable(() -> {
			this.near.invalidateItem(nearKey);
			if (bumpGeneration) {
				this.near.invalidateQueries(this.namespace.nearQueries(region));
			}
		});
		// Published even with this instance's near cache off: others may have theirs on.
		Mono<Void> others = this.bus.itemWritten(nearKey)
			.then(bumpGeneration ? this.bus.queriesChanged(region) : Mono.empty());
		return redis.then(here).then(Mono.defer(() -> others));
	}

}
