package io.productstore.ratelimit;

import java.time.Duration;
import java.util.stream.Stream;

import io.productstore.cache.CacheProperties;
import io.productstore.redis.LettuceConnections;
import io.productstore.web.ProblemResponseWriter;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Rate limiting of the public API ({@code app.ratelimit}): buckets shared in Redis under
 * the cache's key prefix, with per-instance buckets while the cache reports Redis
 * unavailable. {@link CacheProperties} is the cache's only type used here besides its
 * availability event.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "app.ratelimit.enabled", matchIfMissing = true)
class RateLimitConfiguration {

	@Bean
	SharedBuckets sharedBuckets(LettuceConnections connections, RateLimitProperties properties) {
		return new SharedBuckets(connections, properties.redis().timeout(), properties.localMaxClients());
	}

	@Bean
	BucketSource bucketSource(CacheProperties cache) {
		return new BucketSource(cache.enabled());
	}

	@Bean
	RateLimiter rateLimiter(RateLimitProperties properties, CacheProperties cache, BucketSource source,
			SharedBuckets shared) {
		Duration longestRefill = Stream.of(ClientKey.Tier.values())
			.map((tier) -> properties.limit(tier).refillPeriod())
			.max(Duration::compareTo)
			.orElseThrow();
		return new RateLimiter(properties, cache.keyPrefix(), source, shared,
				new LocalBuckets(properties.localMaxClients(), longestRefill));
	}

	@Bean
	RateLimitFilter rateLimitFilter(RateLimitProperties properties, RateLimiter limiter,
			ProblemResponseWriter problems) {
		return new RateLimitFilter(new ClientKeyResolver(new TrustedProxies(properties.trustedProxies())), limiter,
				problems);
	}

}
