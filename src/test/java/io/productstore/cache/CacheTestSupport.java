package io.productstore.cache;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.productstore.support.RedisServerProcess;
import io.productstore.support.TestServers;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

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
	static TestCacheEngine engine(LettuceConnectionFactory factory, CacheProperties properties) {
		return new TestCacheEngine(factory, properties, TestCacheEngine.shippedResilience()).ready();
	}

	static CacheProperties properties(String prefix, Duration lease, Duration maxWait) {
		return TestCacheEngine.cacheProperties(Map.of("key-prefix", prefix, "lock.lease", lease, "lock.max-wait",
				maxWait, "warmup.enabled", "false", "warmup.items", "10"));
	}

	static ReactiveStringRedisTemplate strings(LettuceConnectionFactory factory) {
		return new ReactiveStringRedisTemplate(factory);
	}

	/** The cached value type of the tests. */
	record Widget(String id, String name, long version) {

	}

}
