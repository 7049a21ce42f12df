package io.productstore.ratelimit;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimization;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.productstore.logging.RequestLogging;
import io.productstore.web.ConnectionEventLoop;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Takes a token per request from the client's bucket: the bucket shared in Redis, or this
 * instance's own where {@link BucketSource} says so. A shared bucket is used through this
 * instance's copy of it, which reports the tokens taken to Redis in batches
 * ({@code app.ratelimit.redis.max-unsynchronized-*}), so most requests make no Redis call
 * at all. A call that fails or takes longer than {@code app.ratelimit.redis.timeout} is
 * answered by the local bucket, for that request only: whether Redis is down is the
 * cache's call, not one late answer's.
 */
class RateLimiter implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(RateLimiter.class);

	private static final Duration STARTUP_WAIT = Duration.ofSeconds(10);

	private final BucketSource source;

	private final SharedBuckets shared;

	private final LocalBuckets local;

	private final Map<ClientKey.Tier, TierBuckets> tiers = new EnumMap<>(ClientKey.Tier.class);

	private final String keyPrefix;

	private final Duration timeout;

	RateLimiter(RateLimitProperties properties, String keyPrefix, BucketSource source, SharedBuckets shared,
			LocalBuckets local) {
		RateLimitProperties.Redis redis = properties.redis();
		for (ClientKey.Tier tier : ClientKey.Tier.values()) {
			RateLimitProperties.Limit limit = properties.limit(tier);
			BucketConfiguration configuration = BucketConfiguration.builder()
				.addLimit(Bandwidth.builder()
					.capacity(limit.capacity())
					.refillGreedy(limit.capacity(), limit.refillPeriod())
					.build())
				.build();
			long unsynchronized = redis.maxUnsynchronizedTokens(limit);
			// Without tokens to take locally every request is counted in Redis, the
			// concurrent ones of a client in one batch.
			Optimization optimization = (unsynchronized == 0) ? Optimizations.batching()
					: Optimizations.delaying(new DelayParameters(unsynchronized, redis.maxUnsynchronizedTime()));
			this.tiers.put(tier, new TierBuckets(configuration, optimization, limit.capacity()));
		}
		this.keyPrefix = keyPrefix;
		this.source = source;
		this.shared = shared;
		this.local = local;
		this.timeout = redis.timeout();
	}

	// Once every bean exists (Lettuce's threads may need beans, such as metrics, to
	// connect): connects, so that the first request is not the one that waits for the
	// connection (longer than the timeout), and tells the source whether Redis answered.
	@Override
	public void afterSingletonsInstantiated() {
		ClientKey startup = new ClientKey(ClientKey.Tier.ANONYMOUS, "startup");
		TierBuckets tier = this.tiers.get(startup.tier());
		Throwable failure = null;
		try {
			Mono.fromFuture(this.shared.tryConsume(startup.redisKey(this.keyPrefix), tier.configuration(),
					Optimizations.batching()))
				.block(STARTUP_WAIT);
		}
		catch (RuntimeException ex) {
			failure = ex;
		}
		this.source.warmedUp(failure);
	}

	/**
	 * Take a token of the client's bucket, now: on the call, not on subscription.
	 * @param client the client
	 * @param loop the event loop to continue on when the answer comes from another thread
	 * ({@link ConnectionEventLoop}), or {@code null}
	 * @return the decision: {@link Mono#just} when it is at hand (most requests), which
	 * Reactor's {@code flatMap} takes as a value without subscribing to it
	 */
	Mono<RateLimitDecision> tryConsume(ClientKey client, Executor loop) {
		TierBuckets tier = this.tiers.get(client.tier());
		String key = client.redisKey(this.keyPrefix);
		if (!this.source.shared()) {
			return Mono.just(tier.decision(this.local.tryConsume(key, tier.configuration())));
		}
		CompletableFuture<ConsumptionProbe> answer = this.shared.tryConsume(key, tier.configuration(),
				tier.optimization());
		if (answer.isDone() && !answer.isCompletedExceptionally()) {
			// Taken from this instance's copy of the bucket: no Redis call to time.
			return Mono.just(tier.decision(answer.join()));
		}
		// Waiting behind another request's batch or a report to Redis: continued on
		// this request's event loop, not on the thread that completes the batch.
		return Mono.fromFuture(ConnectionEventLoop.completeOn(loop, answer))
			.timeout(this.timeout)
			// Per request and at DEBUG: an outage is logged once, by BucketSource.
			.onErrorResume((ex) -> RequestLogging.logThen(
					() -> logger.debug("Rate limit of " + key + " counted by this instance: " + ex),
					() -> Mono.fromSupplier(() -> this.local.tryConsume(key, tier.configuration()))))
			.map(tier::decision);
	}

	/**
	 * The buckets of one tier of clients.
	 *
	 * @param configuration their bandwidth
	 * @param optimization how often an instance reports to Redis
	 * @param capacity their capacity, for {@code RateLimit-Limit}
	 */
	private record TierBuckets(BucketConfiguration configuration, Optimization optimization, long capacity) {

		RateLimitDecision decision(ConsumptionProbe probe) {
			return RateLimitDecision.of(probe, this.capacity);
		}

	}

}
