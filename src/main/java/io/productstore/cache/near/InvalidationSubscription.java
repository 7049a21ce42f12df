package io.productstore.cache.near;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * This instance's subscription to the invalidation channel, on a dedicated Lettuce
 * pub/sub connection: made in the background (retried while Redis is down), and reported
 * to the {@link NearCache} as it is confirmed and lost, so that memory is filled only
 * while no message can be missed. Lettuce reconnects and resubscribes by itself.
 */
final class InvalidationSubscription {

	private static final Log logger = LogFactory.getLog(InvalidationSubscription.class);

	private final NearCache near;

	private final ReactiveRedisConnectionFactory connectionFactory;

	private final String channel;

	private final Consumer<String> messages;

	private volatile StatefulRedisPubSubConnection<byte[], byte[]> connection;

	private volatile Disposable connecting;

	InvalidationSubscription(NearCache near, ReactiveRedisConnectionFactory connectionFactory, String channel,
			Consumer<String> messages) {
		this.near = near;
		this.connectionFactory = connectionFactory;
		this.channel = channel;
		this.messages = messages;
	}

	void start() {
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

	void stop() {
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

	boolean isRunning() {
		return this.connecting != null && !this.connecting.isDisposed() || this.connection != null;
	}

	private StatefulRedisPubSubConnection<byte[], byte[]> connect(AbstractRedisClient client) {
		StatefulRedisPubSubConnection<byte[], byte[]> pubSub = (client instanceof RedisClusterClient cluster)
				? cluster.connectPubSub(ByteArrayCodec.INSTANCE)
				: ((RedisClient) client).connectPubSub(ByteArrayCodec.INSTANCE);
		pubSub.addListener(new Listener());
		pubSub.addListener(new RedisConnectionStateListener() {
			@Override
			public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
				InvalidationSubscription.this.near.subscribed(false);
			}
		});
		pubSub.sync().subscribe(bytes(this.channel));
		return pubSub;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** Receives the channel's messages and the confirmations of the subscription. */
	private final class Listener extends RedisPubSubAdapter<byte[], byte[]> {

		@Override
		public void message(byte[] channel, byte[] message) {
			InvalidationSubscription.this.messages.accept(new String(message, StandardCharsets.UTF_8));
		}

		@Override
		public void subscribed(byte[] channel, long count) {
			// Confirmed by Redis, also after every reconnect: from now on no message is
			// missed, and what is in Redis is at least as new as what was published.
			InvalidationSubscription.this.near.subscribed(true);
		}

		@Override
		public void unsubscribed(byte[] channel, long count) {
			InvalidationSubscription.this.near.subscribed(false);
		}

	}

}
