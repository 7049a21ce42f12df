package io.productstore.cache;

import java.time.Duration;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.productstore.support.RedisServerProcess;
import io.productstore.support.TestServers;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.util.unit.DataSize;

/**
 * Builds engines over the shared test {@code redis-server}, each test with its own key
 * prefix so tests never see each other's keys.
 */
final class CacheTestSupport {

	static final String REGION = "widget";

	private CacheTestSupport() {
	}

	static String uniquePrefix(String name) {
		return "it:" + name + ":" + UUID.randomUUID().toString().substring(0, 8) + ":";
	}

	static LettuceConnectionFactory connectionFactory() {
		RedisServerProcess redis = TestServers.redis();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.host(), redis.port()));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/**
	 * An engine whose first recovery (connection, epoch) is done, so that
	 * timing-sensitive tests start with every engine ready.
	 */
	static ReadThroughCache engine(LettuceConnectionFactory factory, CacheProperties properties) {
		ReadThroughCache engine = new ReadThroughCache(factory, JsonMapper.builder().build(), properties,
				new SimpleMeterRegistry());
		engine.resilience().firstRecovery().block(Duration.ofSeconds(30));
		return engine;
	}

	static CacheProperties properties(String prefix, Duration lease, Duration maxWait) {
		return new CacheProperties(true, prefix, new CacheProperties.Ttl(null, null, null, null),
				new CacheProperties.Lock(lease, maxWait, null, null), DataSize.ofKilobytes(1),
				new CacheProperties.Warmup(false, 10));
	}

	static ReactiveStringRedisTemplate strings(LettuceConnectionFactory factory) {
		return new ReactiveStringRedisTemplate(factory);
	}

	/** The cached value type of the tests. */
	record Widget(String id, String name, long version) {

	}

}
