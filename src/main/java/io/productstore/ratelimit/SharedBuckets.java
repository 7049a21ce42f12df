package io.productstore.ratelimit;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimization;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce.LettuceBasedProxyManagerBuilder;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.productstore.redis.LettuceConnections;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;

/**
 * Token buckets shared by every instance in Redis, through Bucket4j's compare-and-swap
 * proxy manager on a dedicated Lettuce connection of the application's Redis client
 * (standalone, Sentinel or Cluster alike: each bucket is a single key). How often a proxy
 * talks to Redis is its {@link Optimization}'s business ({@link RateLimiter} chooses it).
 */
class SharedBuckets implements DisposableBean {

	private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

	// A full bucket is the same as no bucket: a key lives until its bucket would be full
	// again, plus a margin for clock skew between instances.
	private static final Duration KEEP_AFTER_REFILL = Duration.ofSeconds(10);

	private static final Duration IDLE_PROXY = Duration.ofMinutes(1);

	private final LettuceConnections connections;

	private final Duration timeout;

	private final AtomicReference<CompletableFuture<Connected>> connection = new AtomicReference<>();

	// One proxy per bucket, reused: it holds the instance's copy of the bucket and the
	// tokens not reported yet, and folds the concurrent requests of one client into one
	// compare-and-swap instead of a retry storm on its key.
	private final Cache<String, AsyncBucketProxy> proxies;

	SharedBuckets(LettuceConnections connections, Duration timeout, long maxClients) {
		this.connections = connections;
		this.timeout = timeout;
		this.proxies = Caffeine.newBuilder().maximumSize(maxClients).expireAfterAccess(IDLE_PROXY).build();
	}

	/**
	 * Take one token from a shared bucket, creating it with the configuration if absent.
	 * @param key the Redis key of the bucket
	 * @param configuration the bucket's bandwidths
	 * @param optimization when the proxy of the bucket talks to Redis
	 * @return the outcome, already complete when no Redis call was needed; an error when
	 * Redis cannot be reached
	 */
	CompletableFuture<ConsumptionProbe> tryConsume(String key, BucketConfiguration configuration,
			Optimization optimization) {
		return connect().thenCompose((connected) -> this.proxies
			.get(key,
					(absent) -> connected.buckets()
						.builder()
						.withOptimization(optimization)
						.build(key, () -> CompletableFuture.completedFuture(configuration)))
			.tryConsumeAndReturnRemaining(1));
	}

	// One connection, opened once; Lettuce reconnects it by itself after an outage. Only
	// a failed attempt is replaced, by one attempt at a time.
	private CompletableFuture<Connected> connect() {
		CompletableFuture<Connected> current = this.connection.get();
		if (current != null && !current.isCompletedExceptionally()) {
			return current;
		}
		CompletableFuture<Connected> attempt = new CompletableFuture<>();
		if (!this.connection.compareAndSet(current, attempt)) {
			return this.connection.get();
		}
		// Opening a connection blocks: off the event loop.
		Schedulers.boundedElastic().schedule(() -> {
			try {
				attempt.complete(this.connections.connect(CODEC,
						(standalone) -> connected(standalone, Bucket4jLettuce.casBasedBuilder(standalone)),
						(cluster) -> connected(cluster, Bucket4jLettuce.casBasedBuilder(cluster))));
			}
			catch (RuntimeException ex) {
				attempt.completeExceptionally(ex);
			}
		});
		return attempt;
	}

	private Connected connected(StatefulConnection<String, byte[]> connection,
			LettuceBasedProxyManagerBuilder<String> buckets) {
		connection.setTimeout(this.timeout);
		return new Connected(connection, buckets
			.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL))
			.build()
			.asAsync());
	}

	@Override
	public void destroy() {
		CompletableFuture<Connected> current = this.connection.getAndSet(null);
		if (current != null) {
			current.thenAccept((connected) -> connected.connection().close());
		}
	}

	private record Connected(StatefulConnection<String, byte[]> connection, AsyncProxyManager<String> buckets) {

	}

}
