package io.productstore.ratelimit;

import java.time.Duration;
import java.util.stream.Stream;

import io.productstore.cache.CacheProperties;
import io.productstore.web.ProblemResponseWriter;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Rate limiting of the public API ({@code app.ratelimit}): buckets shared in Redis under
 * the cache's key prefix, with per-instance buckets while Redis is down.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "app.ratelimit.enabled", matchIfMissing = true)
class RateLimitConfiguration {

	@Bean
	DistributedBuckets distributedBuckets(LettuceConnectionFactory connectionFactory, RateLimitProperties properties) {
		return new DistributedBuckets(connectionFactory.getRequiredNativeClient(), properties.redis().timeout(),
				properties.localMaxClients());
	}

	@Bean
	RateLimiter rateLimiter(RateLimitProperties properties, CacheProperties cache, DistributedBuckets distributed) {
		Duration longestRefill = Stream.of(ClientKey.Tier.values())
			.map((tier) -> properties.limit(tier).refillPeriod())
			.max(Duration::compareTo)
			.orElseThrow();
		return new RateLimiter(properties, cache.keyPrefix(), distributed,
				new LocalBuckets(properties.localMaxClients(), longestRefill));
	}

	@Bean
	RateLimitFilter rateLimitFilter(RateLimitProperties properties, RateLimiter limiter,
			ProblemResponseWriter problems) {
		return new RateLimitFilter(new ClientKeyResolver(new TrustedProxies(properties.trustedProxies())), limiter,
				problems);
	}

}
