package io.productstore.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the probabilistic early refresh of {@link TestCacheEngine} against a real
 * Redis: a hot key is reloaded once, in the background, before it expires.
 */
class EarlyRefreshIntegrationTests {

	private static final Duration TTL = Duration.ofSeconds(2);

	private static final Duration LOAD_TIME = Duration.ofMillis(100);

	private final LettuceConnectionFactory factory = CacheTestSupport.connectionFactory();

	@AfterEach
	void tearDown() {
		this.factory.destroy();
	}

	@Test
	void reloadsAHotKeyOnceBeforeItExpiresWhileEveryReaderIsServed() {
		CacheProperties properties = TestCacheEngine.cacheProperties(Map.of("key-prefix",
				CacheTestSupport.uniquePrefix("early"), "ttl.item", TTL, "warmup.enabled", "false"));
		// The default early refresh: beta 1.
		TestCacheEngine cache = new TestCacheEngine(this.factory, properties, TestCacheEngine.shippedResilience());
		AtomicInteger loads = new AtomicInteger();
		Mono<CacheTestSupport.Widget> origin = Mono.delay(LOAD_TIME)
			.map((tick) -> new CacheTestSupport.Widget("1", "v" + loads.incrementAndGet(), 1));

		assertThat(read(cache, origin).block().outcome()).isEqualTo(CacheOutcome.MISS);
		long expiry = System.nanoTime() + TTL.toNanos();
		// A steady load (one read every 5 ms) until well past the first entry's expiry.
		List<CacheLookup<CacheTestSupport.Widget>> reads = Flux
			.defer(() -> Mono.delay(Duration.ofMillis(5)).then(read(cache, origin)))
			.repeat(() -> System.nanoTime() < expiry + Duration.ofMillis(300).toNanos())
			.collectList()
			.block(Duration.ofSeconds(30));

		assertThat(reads).hasSizeGreaterThan(100).allSatisfy((lookup) -> {
			assertThat(lookup.outcome()).isEqualTo(CacheOutcome.HIT);
			assertThat(lookup.found()).isTrue();
		});
		assertThat(loads).hasValue(2);
		assertThat(reads.get(reads.size() - 1).value().name()).isEqualTo("v2");
		assertThat(cache.stats().block().earlyRefreshes()).isEqualTo(1);
	}

	private static Mono<CacheLookup<CacheTestSupport.Widget>> read(TestCacheEngine cache,
			Mono<CacheTestSupport.Widget> origin) {
		return cache.item(CacheTestSupport.REGION, "hot", CacheTestSupport.Widget.class, () -> origin, false);
	}

}
