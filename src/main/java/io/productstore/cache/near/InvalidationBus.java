package io.productstore.cache.near;

import java.util.UUID;

import io.productstore.cache.CacheMetrics;
import io.productstore.cache.redis.CacheKeys;
import io.productstore.cache.redis.RedisGuard;
import io.productstore.redis.LettuceConnections;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Cross-instance invalidation of the near cache over Redis pub/sub, on the channel
 * {@code <prefix>invalidations}: every write evicts this instance's near entries before
 * it returns, then publishes what it invalidated; every other instance evicts on receipt.
 * While the subscription ({@link InvalidationSubscription}) is not confirmed (not yet
 * made, or its connection dropped) the near cache is cleared and not filled. Messages are
 * {@link Invalidation}s.
 */
public final class InvalidationBus implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(InvalidationBus.class);

	private final NearCache near;

	private final ReactiveStringRedisTemplate redis;

	private final CacheMetrics metrics;

	private final CacheKeys keys;

	private final RedisGuard guard;

	private final String channel;

	private final String sender = UUID.randomUUID().toString();

	private final InvalidationSubscription subscription;

	public InvalidationBus(NearCache near, ReactiveRedisConnectionFactory connectionFactory,
			@Nullable LettuceConnections connections, RedisGuard guard, CacheKeys keys, CacheMetrics metrics) {
		this.near = near;
		this.redis = new ReactiveStringRedisTemplate(connectionFactory);
		this.metrics = metrics;
		this.keys = keys;
		this.guard = guard;
		this.channel = keys.invalidationChannel();
		this.subscription = new InvalidationSubscription(near, connections, this.channel, this::received);
	}

	/**
	 * Tells every other instance that an item was written.
	 * @param nearKey the item's near cache key
	 * @return whether the message was published; never an error
	 */
	public Mono<Boolean> itemWritten(String nearKey) {
		return publish(Invalidation.item(this.sender, nearKey));
	}

	/**
	 * Tells every other instance that a region's lists and counts changed.
	 * @param region the region
	 * @return whether the message was published; never an error
	 */
	public Mono<Boolean> queriesChanged(String region) {
		return publish(Invalidation.queries(this.sender, region));
	}

	/**
	 * Tells every other instance to drop everything it holds (the namespace was cleared,
	 * or a recovery may have left copies older than Redis).
	 * @return whether the message was published; never an error
	 */
	public Mono<Boolean> cleared() {
		return publish(Invalidation.all(this.sender));
	}

	InvalidationSubscription subscription() {
		return this.subscription;
	}

	@Override
	public void start() {
		this.subscription.start();
	}

	@Override
	public void stop() {
		this.subscription.stop();
	}

	@Override
	public boolean isRunning() {
		return this.subscription.isRunning();
	}

	@Override
	public int getPhase() {
		// Stop after the web server (which stops at SmartLifecycle.DEFAULT_PHASE - 1024).
		return SmartLifecycle.DEFAULT_PHASE;
	}

	/**
	 * Publishes through the same guard as every other Redis call of a write (timeout and
	 * circuit breaker), so a hung Redis delays a write by one timeout, not by Lettuce's
	 * own timeouts and retries. A message that could not be published is the caller's to
	 * journal.
	 */
	private Mono<Boolean> publish(Invalidation invalidation) {
		String message = invalidation.encode();
		return this.guard.apply(this.redis.convertAndSend(this.channel, message))
			.thenReturn(true)
			.onErrorResume((ex) -> {
				this.metrics.error();
				logger.warn("Could not publish the near cache invalidation '" + message + "': " + ex.getMessage());
				return Mono.just(false);
			});
	}

	void received(String message) {
		Invalidation invalidation = Invalidation.decode(message);
		if (invalidation == null) {
			logger.warn("Unknown near cache invalidation: " + message);
			return;
		}
		if (invalidation.sender().equals(this.sender)) {
			return;
		}
		switch (invalidation.kind()) {
			case ITEM -> this.near.invalidateItem(invalidation.target());
			case QUERIES -> this.near.invalidateQueries(this.keys.nearQueries(invalidation.target()));
			case ALL -> this.near.invalidateAll();
		}
	}

}
