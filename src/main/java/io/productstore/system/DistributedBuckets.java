package io.productstore.system;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;

/**
 * Token buckets shared by every instance in Redis, through Bucket4j's compare-and-swap
 * proxy manager on a dedicated Lettuce connection of the application's Redis client
 * (standalone, Sentinel or Cluster alike: each bucket is a single key).
 */
class DistributedBuckets implements DisposableBean {

	private static final Log logger = LogFactory.getLog(DistributedBuckets.class);

	private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

	// A full bucket is the same as no bucket: the key lives until the bucket would be
	// full
	// again, plus a margin for clock skew between instances.
	private static final Duration KEEP_AFTER_REFILL = Duration.ofSeconds(10);

	private final AbstractRedisClient client;

	private final Duration timeout;

	private final AtomicReference<Connected> connected = new AtomicReference<>();

	private final AtomicBoolean connecting = new AtomicBoolean();

	DistributedBuckets(AbstractRedisClient client, Duration timeout) {
		this.client = client;
		this.timeout = timeout;
	}

	/**
	 * Connect now, from startup rather than from the first request; a failure is only
	 * logged, and the next use tries again.
	 * @return whether the buckets are reachable
	 */
	boolean connectEagerly() {
		try {
			connect();
			return true;
		}
		catch (RuntimeException ex) {
			logger.warn("Redis is unreachable at startup; rate limits are counted per instance until it answers: "
					+ ex.getMessage());
			return false;
		}
	}

	/**
	 * Take one token from a shared bucket, creating it with the configuration if absent.
	 * @param key the Redis key of the bucket
	 * @param configuration the bucket's bandwidths
	 * @return the outcome; an error when Redis cannot be reached
	 */
	Mono<ConsumptionProbe> tryConsume(String key, BucketConfiguration configuration) {
		return buckets().flatMap((buckets) -> Mono.fromFuture(() -> buckets.builder()
			.build(key, () -> CompletableFuture.completedFuture(configuration))
			.tryConsumeAndReturnRemaining(1)));
	}

	private Mono<AsyncProxyManager<String>> buckets() {
		Connected current = this.connected.get();
		if (current != null) {
			return Mono.just(current.buckets());
		}
		if (!this.connecting.compareAndSet(false, true)) {
			return Mono.error(new IllegalStateException("Connecting to Redis"));
		}
		// Connecting blocks: off the event loop, and kept even when the caller has given
		// up.
		return Mono.fromCallable(() -> {
			try {
				return connect().buckets();
			}
			finally {
				this.connecting.set(false);
			}
		}).subscribeOn(Schedulers.boundedElastic());
	}

	private Connected connect() {
		Connected fresh = (this.client instanceof RedisClusterClient cluster) ? connectCluster(cluster)
				: connectStandalone((RedisClient) this.client);
		if (!this.connected.compareAndSet(null, fresh)) {
			fresh.connection().close();
		}
		return this.connected.get();
	}

	private Connected connectStandalone(RedisClient redis) {
		StatefulRedisConnection<String, byte[]> connection = redis.connect(CODEC);
		connection.setTimeout(this.timeout);
		return new Connected(connection, Bucket4jLettuce.casBasedBuilder(connection)
			.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL))
			.build()
			.asAsync());
	}

	private Connected connectCluster(RedisClusterClient cluster) {
		StatefulRedisClusterConnection<String, byte[]> connection = cluster.connect(CODEC);
		connection.setTimeout(this.timeout);
		return new Connected(connection, Bucket4jLettuce.casBasedBuilder(connection)
			.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL))
			.build()
			.asAsync());
	}

	@Override
	public void destroy() {
		Connected current = this.connected.getAndSet(null);
		if (current != null) {
			current.connection().close();
		}
	}

	private record Connected(StatefulConnection<String, byte[]> connection, AsyncProxyManager<String> buckets) {

	}

}
