package io.productstore.cache.redis;

import reactor.core.publisher.Mono;

/**
 * What every Redis call of a {@link RedisCacheStore} goes through; the outage handling
 * supplies the request path's gates (refuse unless the cache is available, then timeout
 * and circuit breaker) and the recovery's probe (timeout and circuit breaker only).
 */
public interface RedisGuard {

	/** No bound at all: for tools and tests that build a store directly. */
	RedisGuard NONE = new RedisGuard() {

		@Override
		public <T> Mono<T> apply(Mono<T> operation) {
			return operation;
		}

		@Override
		public boolean permits() {
			return true;
		}

	};

	<T> Mono<T> apply(Mono<T> operation);

	/** Whether a call would be attempted at all now. */
	boolean permits();

}
