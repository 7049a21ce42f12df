package io.productstore.ratelimit;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Takes a token per request from the client's bucket: the bucket shared in Redis, or this
 * instance's own where {@link BucketSource} says so. A shared bucket call that fails or
 * takes longer than {@code app.ratelimit.redis.timeout} is answered by the local bucket,
 * for that request only: whether Redis is down is the cache's call, not one late
 * answer's.
 */
class RateLimiter implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(RateLimiter.class);

	private static final Duration STARTUP_WAIT = Duration.ofSeconds(10);

	private final BucketSource source;

	private final SharedBuckets shared;

	private final LocalBuckets local;

	private final Map<ClientKey.Tier, BucketConfiguration> configurations = new EnumMap<>(ClientKey.Tier.class);

	private final String keyPrefix;

	private final Duration timeout;

	RateLimiter(RateLimitProperties properties, String keyPrefix, BucketSource source, SharedBuckets shared,
			LocalBuckets local) {
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
		this.source = source;
		this.shared = shared;
		this.local = local;
		this.timeout = properties.redis().timeout();
	}

	// Once every bean exists (Lettuce's threads may need beans, such as metrics, to
	// connect): connects, so that the first request is not the one that waits for the
	// connection (longer than the timeout), and tells the source whether Redis answered.
	@Override
	public void afterSingletonsInstantiated() {
		ClientKey startup = new ClientKey(ClientKey.Tier.ANONYMOUS, "startup");
		Throwable failure = null;
		try {
			this.shared.tryConsume(startup.redisKey(this.keyPrefix), this.configurations.get(startup.tier()))
				.block(STARTUP_WAIT);
		}
		catch (RuntimeException ex) {
			failure = ex;
		}
		this.source.warmedUp(failure);
	}

	Mono<RateLimitDecision> tryConsume(ClientKey client) {
		BucketConfiguration configuration = this.configurations.get(client.tier());
		long capacity = configuration.getBandwidths()[0].getCapacity();
		String key = client.redisKey(this.keyPrefix);
		if (!this.source.shared()) {
			return Mono.fromSupplier(() -> RateLimitDecision.of(this.local.tryConsume(key, configuration), capacity));
		}
		return this.shared.tryConsume(key, configuration).timeout(this.timeout).onErrorResume((ex) -> {
			// Per request and at DEBUG: an outage is logged once, by BucketSource.
			logger.debug("Rate limit of " + key + " counted by this instance: " + ex);
			return Mono.fromSupplier(() -> this.local.tryConsume(key, configuration));
		}).map((answer) -> RateLimitDecision.of(answer, capacity));
	}

}
