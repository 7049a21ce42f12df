package io.productstore.idempotency;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Idempotent requests ({@code app.idempotency}), recorded in the application's Redis
 * under a prefix of their own, outside the cache's namespace and epochs: clearing the
 * cache must not forget which requests were performed.
 */
@Configuration(proxyBeanMethods = false)
class IdempotencyConfiguration {

	@Bean
	IdempotentRequests idempotentRequests(ReactiveRedisConnectionFactory connectionFactory,
			IdempotencyProperties properties) {
		return new IdempotentRequests(new IdempotencyRecords(new ReactiveStringRedisTemplate(connectionFactory),
				properties.keyPrefix(), properties), properties);
	}

}
