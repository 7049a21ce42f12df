package io.productstore.bench;

import java.time.Duration;
import java.util.Map;

import io.productstore.cache.TestCacheEngine;
import io.productstore.support.RedisServerProcess;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * What both scenarios run on: one real {@code redis-server} process and the catalogue
 * origin on loopback, and two "instances" of the engine and of the cache-aside baseline,
 * each instance with its own connection factory (so its own connection to Redis).
 */
final class BenchmarkServers implements AutoCloseable {

	static final String PREFIX = "productstore:";

	static final String REGION = "product";

	static final Duration TIMEOUT = Duration.ofSeconds(60);

	final JsonMapper json = JsonMapper.builder().build();

	private final RedisServerProcess redis;

	private Catalogue catalogue;

	private final LettuceConnectionFactory[] factories = new LettuceConnectionFactory[2];

	private final TestCacheEngine[] engines = new TestCacheEngine[2];

	private final CacheAside[] cacheAsides = new CacheAside[2];

	private final ReactiveStringRedisTemplate[] strings = new ReactiveStringRedisTemplate[2];

	BenchmarkServers(Duration originLatency) {
		// No persistence: the scenarios write millions of keys that nobody needs to keep.
		this.redis = RedisServerProcess.start("--appendonly", "no");
		// Also stopped when the run is interrupted (Ctrl-C, the script's timeout).
		Runtime.getRuntime().addShutdownHook(new Thread(this.redis::close, "stop-bench-redis"));
		try {
			this.catalogue = Catalogue.start(originLatency);
			connect();
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	private void connect() {
		for (int i = 0; i < 2; i++) {
			this.factories[i] = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration(this.redis.host(), this.redis.port()));
			this.factories[i].afterPropertiesSet();
			this.factories[i].start();
			// Default TTLs and lock timings (lease 5 s, max wait 2 s, polls 5-50 ms).
			this.engines[i] = new TestCacheEngine(this.factories[i],
					TestCacheEngine.cacheProperties(Map.of("key-prefix", PREFIX)), TestCacheEngine.shippedResilience());
			this.strings[i] = new ReactiveStringRedisTemplate(this.factories[i]);
			this.cacheAsides[i] = new CacheAside(this.strings[i], this.json);
		}
	}

	Catalogue catalogue() {
		return this.catalogue;
	}

	String redisAddress() {
		return this.redis.host() + ":" + this.redis.port();
	}

	TestCacheEngine engine(int instance) {
		return this.engines[instance];
	}

	CacheAside cacheAside(int instance) {
		return this.cacheAsides[instance];
	}

	ReactiveStringRedisTemplate strings() {
		return this.strings[0];
	}

	/** Empties the benchmark's private Redis between measurements. */
	void flush() {
		try (ReactiveRedisConnection connection = this.factories[0].getReactiveConnection()) {
			connection.serverCommands().flushDb().block(TIMEOUT);
		}
	}

	long keys() {
		try (ReactiveRedisConnection connection = this.factories[0].getReactiveConnection()) {
			return connection.serverCommands().dbSize().block(TIMEOUT);
		}
	}

	@Override
	public void close() {
		for (LettuceConnectionFactory factory : this.factories) {
			if (factory != null) {
				factory.destroy();
			}
		}
		if (this.catalogue != null) {
			this.catalogue.close();
		}
		this.redis.close();
	}

}
