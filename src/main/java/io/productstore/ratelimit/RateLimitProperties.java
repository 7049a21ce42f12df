package io.productstore.ratelimit;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.Assert;

/**
 * Rate limiting of {@code /api/**} under {@code app.ratelimit}: one token bucket per
 * client, sized by the client's role.
 *
 * @param enabled {@code false} lets every request through without any header
 * @param trustedProxies IPs or CIDR ranges of the reverse proxies whose
 * {@code X-Forwarded-For} is believed; none by default, so the direct peer is the client
 * @param anonymous the bucket of a caller without credentials, per client IP
 * @param user the bucket of an authenticated caller with role {@code USER}
 * @param editor the bucket of an authenticated caller with role {@code EDITOR}
 * @param admin the bucket of an authenticated caller with role {@code ADMIN}
 * @param redis how the buckets shared in Redis are reached
 * @param localMaxClients most clients tracked per instance while Redis is down
 */
@ConfigurationProperties("app.ratelimit")
public record RateLimitProperties(@DefaultValue("true") boolean enabled, @DefaultValue List<String> trustedProxies,
		Limit anonymous, Limit user, Limit editor, Limit admin, @DefaultValue Redis redis,
		@DefaultValue("100000") long localMaxClients) {

	public RateLimitProperties {
		anonymous = Limit.orDefault(anonymous, 100);
		user = Limit.orDefault(user, 300);
		editor = Limit.orDefault(editor, 600);
		admin = Limit.orDefault(admin, 1200);
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

	/**
	 * A token bucket: {@code capacity} requests at once (the burst), refilled greedily at
	 * {@code capacity} tokens per {@code refillPeriod}.
	 *
	 * @param capacity the most requests a client can make in a burst
	 * @param refillPeriod the time in which an empty bucket fills up again
	 */
	public record Limit(Long capacity, Duration refillPeriod) {

		public Limit {
			Assert.isTrue(capacity == null || capacity > 0, "app.ratelimit: a capacity must be positive");
			Assert.isTrue(refillPeriod == null || (!refillPeriod.isNegative() && !refillPeriod.isZero()),
					"app.ratelimit: a refill period must be positive");
		}

		static Limit orDefault(Limit limit, long capacity) {
			Duration minute = Duration.ofMinutes(1);
			if (limit == null) {
				return new Limit(capacity, minute);
			}
			return new Limit((limit.capacity() != null) ? limit.capacity() : capacity,
					(limit.refillPeriod() != null) ? limit.refillPeriod() : minute);
		}

	}

	/**
	 * Reaching the shared buckets.
	 *
	 * @param timeout the longest a bucket operation may take before the request is
	 * limited by the instance's own buckets instead
	 * @param retryInterval while Redis is down, how often one request tries it again
	 */
	public record Redis(@DefaultValue("50ms") Duration timeout, @DefaultValue("2s") Duration retryInterval) {

	}

}
