package io.productstore.bench;

import java.time.Duration;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * The baseline of the stampede scenario: plain cache-aside with no lock and no
 * coalescing. {@code GET} the key; on a miss read the origin and {@code SET} the value
 * with a TTL. Every request that misses before the first {@code SET} lands reads the
 * origin.
 */
final class CacheAside {

	private final ReactiveStringRedisTemplate redis;

	private final JsonMapper json;

	CacheAside(ReactiveStringRedisTemplate redis, JsonMapper json) {
		this.redis = redis;
		this.json = json;
	}

	<T> Mono<T> get(String key, Class<T> type, Supplier<Mono<T>> origin, Duration ttl) {
		return this.redis.opsForValue()
			.get(key)
			.map((cached) -> this.json.readValue(cached, type))
			.switchIfEmpty(Mono.defer(() -> origin.get().flatMap((value) -> store(key, value, ttl))));
	}

	private <T> Mono<T> store(String key, T value, Duration ttl) {
		return this.redis.opsForValue().set(key, this.json.writeValueAsString(value), ttl).thenReturn(value);
	}

}
