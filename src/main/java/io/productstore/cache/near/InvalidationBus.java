package io.productstore.cache.near;

import java.time.Duration;
import java.util.UUID;

import io.productstore.cache.CacheMetrics;
import io.productstore.cache.redis.CacheKeys;
import io.productstore.redis.LettuceConnections;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

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

	private final String channel;

	private final String sender = UUID.randomUUID().toString();

	private final InvalidationSubscription subscription;

	public InvalidationBus(NearCache near, ReactiveRedisConnectionFactory connectionFactory,
			@Nullable LettuceConnections connections, CacheKeys keys, CacheMetrics metrics) {
		this.near = near;
		this.redis = new ReactiveStringRedisTemplate(connectionFactory);
		this.metrics = metrics;
		this.keys = keys;
		this.channel = keys.invalidationChannel();
		this.subscription = new InvalidationSubscription(near, connections, this.channel, this::received);
	}

	/**
	 * Tells every other instance that an item was written.
	 * @param nearKey the item's near cache key
	 * @return completion; never an error
	 */
	public Mono<Void> itemWritten(String nearKey) {
		return publish(Invalidation.item(this.sender, nearKey));
	}

	/**
	 * Tells every other instance that a region's lists and counts changed.
	 * @param region the region
	 * @return completion; never an error
	 */
	public Mono<Void> queriesChanged(String region) {
		return publish(Invalidation.queries(this.sender, region));
	}

	/**
	 * Tells every other instance that the whole namespace was cleared.
	 * @return completion; never an error
	 */
	public Mono<Void> cleared() {
		return publish(Invalidation.all(this.sender));
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

	private Mono<Void> publish(Invalidation invalidation) {
		String message = invalidation.encode();
		return this.redis.convertAndSend(this.channel, message)
			.retryWhen(Retry.backoff(2, Duration.ofMillis(20)))
			.onErrorResume((ex) -> {
				// Other instances keep their copy until its near TTL: the bound
				// documented for a lost message.
				this.metrics.error();
				logger.error("Could not publish the near cache invalidation '" + message + "': " + ex.getMessage());
				return Mono.empty();
			})
			.then();
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
