package io.productstore.cache;

import reactor.core.publisher.Mono;

/**
 * What every Redis call of a {@link RedisCacheStore} goes through: the request path's
 * gate (refuse unless the cache is available, then timeout and circuit breaker) or the
 * recovery's probe (timeout and circuit breaker only).
 */
interface RedisGuard {

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
