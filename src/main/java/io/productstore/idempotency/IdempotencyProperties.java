package io.productstore.idempotency;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.Assert;

/**
 * Configuration of idempotent requests under {@code app.idempotency}.
 *
 * @param keyPrefix namespace of the records in Redis: deliberately not under the cache's
 * {@code app.cache.key-prefix}, so that clearing the cache ({@code DELETE /api/cache})
 * never forgets which requests were performed
 * @param ttl how long a key is remembered after its first use
 * @param lease how long a request keeps its claim on a key: another request with the key
 * gets 409 meanwhile, and may perform it after the lease lapsed (a crashed instance)
 * @param timeout bound of each Redis call; a keyed request that Redis does not answer in
 * time is refused with 503. As long as the cache's call bound: measured in this process,
 * it includes this process's own queueing, and on a busy 2-core host a first script call
 * (EVALSHA, NOSCRIPT, EVAL on a fresh connection) took over 1 s with Redis answering
 * @param retryAfter the {@code Retry-After} of those 503 and of the 409 while the first
 * request runs
 */
@ConfigurationProperties("app.idempotency")
public record IdempotencyProperties(@DefaultValue("productstore-idempotency:") String keyPrefix,
		@DefaultValue("24h") Duration ttl, @DefaultValue("30s") Duration lease, @DefaultValue("2s") Duration timeout,
		@DefaultValue("2s") Duration retryAfter) {

	public IdempotencyProperties {
		Assert.hasText(keyPrefix, "app.idempotency.key-prefix must not be empty");
		Assert.isTrue(lease.compareTo(ttl) < 0, "app.idempotency.lease must be shorter than app.idempotency.ttl");
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "app.idempotency.timeout must be positive");
	}

}
