package io.productstore.cache.near;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.productstore.redis.LettuceConnections;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * This instance's subscription to the invalidation channel, on a dedicated Lettuce
 * pub/sub connection: made in the background (retried while Redis is down), and reported
 * to the {@link NearCache} as it is confirmed and lost, so that memory is filled only
 * while no message can be missed. Lettuce reconnects and resubscribes by itself.
 */
final class InvalidationSubscription {

	private static final Log logger = LogFactory.getLog(InvalidationSubscription.class);

	private final NearCache near;

	private final LettuceConnections connections;

	private final String channel;

	private final Consumer<String> messages;

	private volatile StatefulRedisPubSubConnection<byte[], byte[]> connection;

	private volatile Disposable connecting;

	private final AtomicInteger failures = new AtomicInteger();

	InvalidationSubscription(NearCache near, LettuceConnections connections, String channel,
			Consumer<String> messages) {
		this.near = near;
		this.connections = connections;
		this.channel = channel;
		this.messages = messages;
	}

	void start() {
		if (!this.near.enabled() || this.connections == null) {
			return;
		}
		// Connecting is retried in the background: a Redis that is down at startup only
		// keeps the near cache off until it is up.
		// One attempt at a time, at most one every 5 s once failures repeat; each failed
		// attempt closes its own connection, so a refusal that lasts (an ACL without the
		// channel) costs one short-lived connection per attempt and one warning.
		this.failures.set(0);
		this.connecting = Mono.fromCallable(this::connect)
			.subscribeOn(Schedulers.boundedElastic())
			.doOnError(this::failed)
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(5)))
			.subscribe(this::connected, (ex) -> logger.error("Gave up subscribing to " + this.channel, ex));
	}

	private void failed(Throwable ex) {
		String message = "Could not subscribe to " + this.channel + " (near cache off until it can): "
				+ ex.getMessage();
		if (this.failures.getAndIncrement() == 0) {
			logger.warn(message + "; retrying, further failures are logged at DEBUG");
		}
		else {
			logger.debug(message);
		}
	}

	private void connected(StatefulRedisPubSubConnection<byte[], byte[]> connected) {
		this.connection = connected;
		if (this.failures.get() > 0) {
			logger.info("Subscribed to " + this.channel + " after " + this.failures.get() + " failed attempt(s)");
		}
	}

	/** Failed attempts since the last start (for tests and the log). */
	int failures() {
		return this.failures.get();
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

	private StatefulRedisPubSubConnection<byte[], byte[]> connect() {
		StatefulRedisPubSubConnection<byte[], byte[]> pubSub = this.connections.connectPubSub(ByteArrayCodec.INSTANCE);
		Listener listener = new Listener();
		RedisConnectionStateListener disconnects = new RedisConnectionStateListener() {
			@Override
			public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
				InvalidationSubscription.this.near.subscribed(false);
			}
		};
		try {
			pubSub.addListener(listener);
			pubSub.addListener(disconnects);
			pubSub.sync().subscribe(bytes(this.channel));
			return pubSub;
		}
		catch (RuntimeException ex) {
			// A refused or timed-out SUBSCRIBE (an ACL without the channel, say) must not
			// leave its connection behind (each retry opens a new one), nor its
			// listeners:
			// the close would report a disconnect after a later attempt has subscribed.
			pubSub.removeListener(listener);
			pubSub.removeListener(disconnects);
			pubSub.closeAsync();
			throw ex;
		}
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
