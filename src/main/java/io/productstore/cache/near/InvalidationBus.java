package io.productstore.cache.near;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.productstore.cache.CacheMetrics;
import io.productstore.cache.redis.CacheKeys;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Cross-instance invalidation of the near cache over Redis pub/sub, on the channel
 * {@code <prefix>invalidations}: every write evicts this instance's near entries before
 * it returns, then publishes what it invalidated; every other instance evicts on receipt.
 * While the subscription is not confirmed (not yet made, or its connection dropped) the
 * near cache is cleared and not filled; Lettuce reconnects and resubscribes by itself.
 * Messages are {@link Invalidation}s.
 */
public final class InvalidationBus implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(InvalidationBus.class);

	private final NearCache near;

	private final ReactiveRedisConnectionFactory connectionFactory;

	private final ReactiveStringRedisTemplate redis;

	private final CacheMetrics metrics;

	private final CacheKeys keys;

	private final String channel;

	private final String sender = UUID.randomUUID().toString();

	private volatile StatefulRedisPubSubConnection<byte[], byte[]> connection;

	private volatile Disposable connecting;

	public InvalidationBus(NearCache near, ReactiveRedisConnectionFactory connectionFactory, CacheKeys keys,
			CacheMetrics metrics) {
		this.near = near;
		this.connectionFactory = connectionFactory;
		this.redis = new ReactiveStringRedisTemplate(connectionFactory);
		this.metrics = metrics;
		this.keys = keys;
		this.channel = keys.invalidationChannel();
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
		if (!this.near.enabled() || !(this.connectionFactory instanceof LettuceConnectionFactory lettuce)) {
			return;
		}
		// Connecting is retried in the background: a Redis that is down at startup only
		// keeps the near cache off until it is up.
		this.connecting = Mono.fromCallable(() -> connect(lettuce.getNativeClient()))
			.subscribeOn(Schedulers.boundedElastic())
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(5)))
			.subscribe((connected) -> this.connection = connected,
					(ex) -> logger.error("Gave up subscribing to " + this.channel, ex));
	}

	@Override
	public void stop() {
		Disposable pending = this.connecting;
		if (pending != null) {
			pending.dispose();
		}
		StatefulRedisPubSubConnection<byte[], byte[]> current = this.connection;
		this.connection = null;
		if (current != null) {
			current.closeAsync();
		}
		this.near.subscribed(false);
	}

	@Override
	public boolean isRunning() {
		return this.connecting != null && !this.connecting.isDisposed() || this.connection != null;
	}

	@Override
	public int getPhase() {
		// Stop after the web server (which stops at SmartLifecycle.DEFAULT_PHASE - 1024).
		return SmartLifecycle.DEFAULT_PHASE;
	}

	private StatefulRedisPubSubConnection<byte[], byte[]> connect(AbstractRedisClient client) {
		StatefulRedisPubSubConnection<byte[], byte[]> pubSub = (client instanceof RedisClusterClient cluster)
				? cluster.connectPubSub(ByteArrayCodec.INSTANCE)
				: ((RedisClient) client).connectPubSub(ByteArrayCodec.INSTANCE);
		pubSub.addListener(new Listener());
		pubSub.addListener(new RedisConnectionStateListener() {
			@Override
			public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
				InvalidationBus.this.near.subscribed(false);
			}
		});
		pubSub.sync().subscribe(bytes(this.channel));
		return pubSub;
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

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** Receives the channel's messages and the confirmations of the subscription. */
	private final class Listener extends RedisPubSubAdapter<byte[], byte[]> {

		@Override
		public void message(byte[] channel, byte[] message) {
			received(new String(message, StandardCharsets.UTF_8));
		}

		@Override
		public void subscribed(byte[] channel, long count) {
			// Confirmed by Redis, also after every reconnect: from now on no message is
			// missed, and what is in Redis is at least as new as what was published.
			InvalidationBus.this.near.subscribed(true);
		}

		@Override
		public void unsubscribed(byte[] channel, long count) {
			InvalidationBus.this.near.subscribed(false);
		}

	}

}
