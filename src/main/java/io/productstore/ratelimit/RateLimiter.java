package io.productstore.ratelimit;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Takes a token per request from the client's bucket shared in Redis, and from this
 * instance's own buckets while Redis fails or is slow, going back to Redis once it
 * answers; each switch is logged once.
 */
class RateLimiter implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(RateLimiter.class);

	private static final Duration STARTUP_WAIT = Duration.ofSeconds(10);

	private final SharedBuckets shared;

	private final LocalBuckets local;

	private final Map<ClientKey.Tier, BucketConfiguration> configurations = new EnumMap<>(ClientKey.Tier.class);

	private final String keyPrefix;

	private final Duration timeout;

	private final long retryIntervalNanos;

	private final AtomicBoolean degraded = new AtomicBoolean();

	private final AtomicLong nextAttempt = new AtomicLong();

	RateLimiter(RateLimitProperties properties, String keyPrefix, SharedBuckets shared, LocalBuckets local) {
		for (ClientKey.Tier tier : ClientKey.Tier.values()) {
			RateLimitProperties.Limit limit = properties.limit(tier);
			this.configurations.put(tier,
					BucketConfiguration.builder()
						.addLimit(Bandwidth.builder()
							.capacity(limit.capacity())
							.refillGreedy(limit.capacity(), limit.refillPeriod())
							.build())
						.build());
		}
		this.keyPrefix = keyPrefix;
		this.shared = shared;
		this.local = local;
		this.timeout = properties.redis().timeout();
		this.retryIntervalNanos = properties.redis().retryInterval().toNanos();
	}

	// Once every bean exists (Lettuce's threads may need beans, such as metrics, to
	// connect): connects, and warms the path so that the first request is not the slow
	// one.
	@Override
	public void afterSingletonsInstantiated() {
		ClientKey startup = new ClientKey(ClientKey.Tier.ANONYMOUS, "startup");
		try {
			this.shared.tryConsume(startup.redisKey(this.keyPrefix), this.configurations.get(startup.tier()))
				.block(STARTUP_WAIT);
		}
		catch (RuntimeException ex) {
			logger.warn("Redis is unreachable at startup; rate limits are counted per instance until it answers: "
					+ describe(ex));
			this.degraded.set(true);
			this.nextAttempt.set(System.nanoTime() + this.retryIntervalNanos);
		}
	}

	Mono<RateLimitDecision> tryConsume(ClientKey client) {
		BucketConfiguration configuration = this.configurations.get(client.tier());
		long capacity = configuration.getBandwidths()[0].getCapacity();
		String key = client.redisKey(this.keyPrefix);
		boolean probe = this.degraded.get();
		if (probe && !claimProbe()) {
			return Mono.fromSupplier(() -> RateLimitDecision.of(this.local.tryConsume(key, configuration), capacity));
		}
		return this.shared.tryConsume(key, configuration)
			.timeout(this.timeout)
			.doOnNext((answer) -> redisAnswered(probe))
			.onErrorResume((ex) -> {
				redisFailed(ex);
				return Mono.fromSupplier(() -> this.local.tryConsume(key, configuration));
			})
			.map((answer) -> RateLimitDecision.of(answer, capacity));
	}

	/**
	 * Whether limits are shared through Redis right now.
	 * @return {@code false} while the instance counts on its own
	 */
	boolean isDistributed() {
		return !this.degraded.get();
	}

	// While degraded, one request per retry interval tries Redis; the others do not wait
	// for it.
	private boolean claimProbe() {
		long now = System.nanoTime();
		long next = this.nextAttempt.get();
		return now - next >= 0 && this.nextAttempt.compareAndSet(next, now + this.retryIntervalNanos);
	}

	// Only a probe ends an outage: a request that set off before the outage and answers
	// late says nothing about Redis now, and would make the state flap.
	private void redisAnswered(boolean probe) {
		if (probe && this.degraded.compareAndSet(true, false)) {
			logger.info("Redis answers again: rate limits are shared across instances again");
		}
	}

	private void redisFailed(Throwable ex) {
		this.nextAttempt.set(System.nanoTime() + this.retryIntervalNanos);
		if (this.degraded.compareAndSet(false, true)) {
			logger.warn("Redis failed or took longer than " + this.timeout.toMillis()
					+ " ms for a rate limit; limits are counted per instance until it answers: " + describe(ex));
		}
	}

	private static String describe(Throwable ex) {
		return ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
	}

}
