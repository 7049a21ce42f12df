package io.productstore.ratelimit;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.Assert;

/**
 * Rate limiting of {@code /api/**} under {@code app.ratelimit}: one token bucket per
 * client, sized by the client's role. Each tier has a record of its own so that its
 * defaults are written once, in {@code @DefaultValue}.
 *
 * @param enabled {@code false} lets every request through without any header
 * @param trustedProxies IPs or CIDR ranges of the reverse proxies whose
 * {@code X-Forwarded-For} is believed; none by default, so the direct peer is the client
 * @param anonymous the bucket of a caller without credentials, per client IP
 * @param user the bucket of an authenticated caller with role {@code USER}
 * @param editor the bucket of an authenticated caller with role {@code EDITOR}
 * @param admin the bucket of an authenticated caller with role {@code ADMIN}
 * @param redis how the buckets shared in Redis are reached
 * @param localMaxClients most clients tracked per instance while Redis is unavailable
 */
@ConfigurationProperties("app.ratelimit")
record RateLimitProperties(@DefaultValue("true") boolean enabled, @DefaultValue List<String> trustedProxies,
		@DefaultValue AnonymousLimit anonymous, @DefaultValue UserLimit user, @DefaultValue EditorLimit editor,
		@DefaultValue AdminLimit admin, @DefaultValue Redis redis, @DefaultValue("100000") long localMaxClients) {

	RateLimitProperties {
		check("anonymous", anonymous);
		check("user", user);
		check("editor", editor);
		check("admin", admin);
		Assert.isTrue(localMaxClients > 0, "app.ratelimit.local-max-clients must be positive");
	}

	/**
	 * Return the bucket of a tier of clients.
	 * @param tier the tier
	 * @return its limit
	 */
	Limit limit(ClientKey.Tier tier) {
		return switch (tier) {
			case ANONYMOUS -> this.anonymous;
			case USER -> this.user;
			case EDITOR -> this.editor;
			case ADMIN -> this.admin;
		};
	}

	private static void check(String tier, Limit limit) {
		Assert.isTrue(limit.capacity() > 0, () -> "app.ratelimit." + tier + ".capacity must be positive");
		Assert.isTrue(!limit.refillPeriod().isNegative() && !limit.refillPeriod().isZero(),
				() -> "app.ratelimit." + tier + ".refill-period must be positive");
	}

	/**
	 * A token bucket: {@code capacity} requests at once (the burst), refilled greedily at
	 * {@code capacity} tokens per {@code refillPeriod}.
	 */
	sealed interface Limit permits AnonymousLimit, UserLimit, EditorLimit, AdminLimit {

		/**
		 * The most requests a client can make in a burst.
		 * @return the capacity
		 */
		long capacity();

		/**
		 * The time in which an empty bucket fills up again.
		 * @return the refill period
		 */
		Duration refillPeriod();

	}

	/**
	 * The bucket of a caller without credentials.
	 *
	 * @param capacity the most requests a client can make in a burst
	 * @param refillPeriod the time in which an empty bucket fills up again
	 */
	record AnonymousLimit(@DefaultValue("100") long capacity,
			@DefaultValue("1m") Duration refillPeriod) implements Limit {

	}

	/**
	 * The bucket of a caller with role {@code USER}.
	 *
	 * @param capacity the most requests a client can make in a burst
	 * @param refillPeriod the time in which an empty bucket fills up again
	 */
	record UserLimit(@DefaultValue("300") long capacity, @DefaultValue("1m") Duration refillPeriod) implements Limit {

	}

	/**
	 * The bucket of a caller with role {@code EDITOR}.
	 *
	 * @param capacity the most requests a client can make in a burst
	 * @param refillPeriod the time in which an empty bucket fills up again
	 */
	record EditorLimit(@DefaultValue("600") long capacity, @DefaultValue("1m") Duration refillPeriod) implements Limit {

	}

	/**
	 * The bucket of a caller with role {@code ADMIN}.
	 *
	 * @param capacity the most requests a client can make in a burst
	 * @param refillPeriod the time in which an empty bucket fills up again
	 */
	record AdminLimit(@DefaultValue("1200") long capacity, @DefaultValue("1m") Duration refillPeriod) implements Limit {

	}

	/**
	 * Reaching the shared buckets. Each instance takes tokens from its copy of a shared
	 * bucket and reports them to Redis in batches: once it has taken
	 * {@code maxUnsynchronizedPercent} of the bucket's capacity without reporting, or
	 * {@code maxUnsynchronizedTime} after its last report. So N instances let a client
	 * through at most {@code N x capacity x maxUnsynchronizedPercent / 100} (rounded
	 * down) requests more than its limit (docs/benchmarks.md, "Rate limiting: the
	 * overshoot").
	 *
	 * @param timeout the longest a bucket operation may take before the request is
	 * limited by the instance's own buckets instead
	 * @param maxUnsynchronizedPercent the share of a bucket's capacity an instance may
	 * take without reporting it to Redis, 0 to 100; {@code 0} reports every request
	 * @param maxUnsynchronizedTime the longest an instance trusts its copy of a bucket
	 * before it reports to Redis and reads the bucket again
	 */
	record Redis(@DefaultValue("50ms") Duration timeout, @DefaultValue("10") int maxUnsynchronizedPercent,
			@DefaultValue("1s") Duration maxUnsynchronizedTime) {

		Redis {
			Assert.isTrue(maxUnsynchronizedPercent >= 0 && maxUnsynchronizedPercent <= 100,
					"app.ratelimit.redis.max-unsynchronized-percent must be between 0 and 100");
			Assert.isTrue(!maxUnsynchronizedTime.isNegative(),
					"app.ratelimit.redis.max-unsynchronized-time must not be negative");
		}

		/**
		 * The tokens an instance may take from a bucket without reporting them.
		 * @param limit the bucket
		 * @return {@code capacity x maxUnsynchronizedPercent / 100}, rounded down
		 */
		long maxUnsynchronizedTokens(Limit limit) {
			return Math.multiplyExact(limit.capacity(), this.maxUnsynchronizedPercent) / 100;
		}

	}

}
