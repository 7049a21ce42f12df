package io.productstore.idempotency;

import io.productstore.cache.CacheProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Idempotent requests ({@code app.idempotency}), recorded in the application's Redis
 * under the cache's key prefix, outside its epochs: flushing the cache must not forget
 * which requests were performed.
 */
@Configuration(proxyBeanMethods = false)
class IdempotencyConfiguration {

	@Bean
	IdempotentRequests idempotentRequests(ReactiveRedisConnectionFactory connectionFactory, CacheProperties cache,
			IdempotencyProperties properties) {
		return new IdempotentRequests(new IdempotencyRecords(new ReactiveStringRedisTemplate(connectionFactory),
				cache.keyPrefix(), properties), properties);
	}

}
