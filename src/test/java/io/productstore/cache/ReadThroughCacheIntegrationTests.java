package io.productstore.cache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.productstore.cache.CacheTestSupport.Widget;
import io.productstore.cache.admin.CacheStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static io.productstore.cache.CacheTestSupport.REGION;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TestCacheEngine} against a real {@code redis-server}.
 */
class ReadThroughCacheIntegrationTests {

	private LettuceConnectionFactory factory;

	private TestCacheEngine cache;

	private ReactiveStringRedisTemplate redis;

	private String prefix;

	private final AtomicInteger originReads = new AtomicInteger();

	@BeforeEach
	void startEngine() {
		this.factory = CacheTestSupport.connectionFactory();
		this.prefix = CacheTestSupport.uniquePrefix("rtc");
		this.cache = CacheTestSupport.engine(this.factory,
				CacheTestSupport.properties(this.prefix, Duration.ofSeconds(5), Duration.ofSeconds(2)));
		this.redis = CacheTestSupport.strings(this.factory);
	}

	@AfterEach
	void stopEngine() {
		this.cache.clear().block();
		this.factory.destroy();
	}

	@Test
	void servesSecondReadOfAnItemFromRedisWithoutReadingTheOrigin() {
		Widget widget = new Widget("a1", "anvil", 1);
		this.cache.item(REGION, "a1", Widget.class, origin(widget), false)
			.as(StepVerifier::create)
			.expectNext(new CacheLookup<>(widget, CacheOutcome.MISS))
			.verifyComplete();
		this.cache.item(REGION, "a1", Widget.class, origin(widget), false)
			.as(StepVerifier::create)
			.expectNext(new CacheLookup<>(widget, CacheOutcome.HIT))
			.verifyComplete();
		assertThat(this.originReads).hasValue(1);
		this.redis.hasKey(this.prefix + "widget:{a1}").as(StepVerifier::create).expectNext(true).verifyComplete();
		this.cache.stats().as(StepVerifier::create).assertNext((stats) -> {
			assertThat(stats.hits()).isEqualTo(1);
			assertThat(stats.misses()).isEqualTo(1);
			assertThat(stats.hitRatio()).isEqualTo(0.5);
			assertThat(stats.originReads()).isEqualTo(1);
			// The entry, and the run ids the first recovery recorded.
			assertThat(stats.keys()).isEqualTo(2);
			assertThat(stats.circuitBreaker()).isEqualTo("CLOSED");
		}).verifyComplete();
	}

	@Test
	void cachesAMissingIdAsANegativeEntryUntilItIsWritten() {
		this.cache.item(REGION, "b1", Widget.class, origin(null), false)
			.as(StepVerifier::create)
			.expectNext(new CacheLookup<>(null, CacheOutcome.MISS))
			.verifyComplete();
		this.cache.item(REGION, "b1", Widget.class, origin(null), false)
			.as(StepVerifier::create)
			.expectNext(new CacheLookup<>(null, CacheOutcome.HIT))
			.verifyComplete();
		assertThat(this.originReads).hasValue(1);
		this.redis.getExpire(this.prefix + "widget:{b1}")
			.as(StepVerifier::create)
			.assertNext((ttl) -> assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30)))
			.verifyComplete();

		Widget created = new Widget("b1", "bolt", 0);
		this.cache.written(REGION, "b1", created).as(StepVerifier::create).verifyComplete();
		this.cache.item(REGION, "b1", Widget.class, origin(null), false)
			.as(StepVerifier::create)
			.expectNext(new CacheLookup<>(created, CacheOutcome.HIT))
			.verifyComplete();
	}

	@Test
	void removesTheItemEntryWhenWrittenAsDeleted() {
		Widget widget = new Widget("c1", "cog", 1);
		this.cache.item(REGION, "c1", Widget.class, origin(widget), false).then().block();
		this.cache.written(REGION, "c1", null).as(StepVerifier::create).verifyComplete();
		this.cache.item(REGION, "c1", Widget.class, origin(null), false)
			.as(StepVerifier::create)
			.expectNext(new CacheLookup<>(null, CacheOutcome.MISS))
			.verifyComplete();
	}

	@Test
	void servesQueriesFromRedisUntilAWriteBumpsTheGeneration() {
		this.cache.query(REGION, QueryKind.COUNT, "category=tools", Long.class, countOrigin(3L), false)
			.as(StepVerifier::create)
			.expectNext(new CacheLookup<>(3L, CacheOutcome.MISS))
			.verifyComplete();
		this.cache.query(REGION, QueryKind.COUNT, "category=tools", Long.class, countOrigin(3L), false)
			.as(StepVerifier::create)
			.expectNext(new CacheLookup<>(3L, CacheOutcome.HIT))
			.verifyComplete();
		this.cache.query(REGION, QueryKind.LIST, "category=tools", Long.class, countOrigin(7L), false)
			.as(StepVerifier::create)
			.expectNext(new CacheLookup<>(7L, CacheOutcome.MISS))
			.verifyComplete();

		this.cache.written(REGION, "d1", new Widget("d1", "drill", 0)).as(StepVerifier::create).verifyComplete();

		this.cache.query(REGION, QueryKind.COUNT, "category=tools", Long.class, countOrigin(4L), false)
			.as(StepVerifier::create)
			.expectNext(new CacheLookup<>(4L, CacheOutcome.MISS))
			.verifyComplete();
		this.cache.query(REGION, QueryKind.COUNT, "category=tools", Long.class, countOrigin(4L), false)
			.as(StepVerifier::create)
			.expectNext(new CacheLookup<>(4L, CacheOutcome.HIT))
			.verifyComplete();
		assertThat(this.originReads).hasValue(3);
	}

	@Test
	void evictDropsTheItemButKeepsQueries() {
		this.cache.item(REGION, "e1", Widget.class, origin(new Widget("e1", "easel", 1)), false).then().block();
		this.cache.query(REGION, QueryKind.COUNT, "", Long.class, countOrigin(1L), false).then().block();
		this.cache.evict(REGION, "e1").as(StepVerifier::create).verifyComplete();
		this.cache.item(REGION, "e1", Widget.class, origin(new Widget("e1", "easel", 2)), false)
			.map(CacheLookup::outcome)
			.as(StepVerifier::create)
			.expectNext(CacheOutcome.MISS)
			.verifyComplete();
		this.cache.query(REGION, QueryKind.COUNT, "", Long.class, countOrigin(1L), false)
			.map(CacheLookup::outcome)
			.as(StepVerifier::create)
			.expectNext(CacheOutcome.HIT)
			.verifyComplete();
	}

	@Test
	void noCacheReadsTheOriginAndRefreshesTheEntry() {
		this.cache.item(REGION, "f1", Widget.class, origin(new Widget("f1", "file", 1)), false).then().block();
		Widget fresh = new Widget("f1", "file", 2);
		this.cache.item(REGION, "f1", Widget.class, origin(fresh), true)
			.as(StepVerifier::create)
			.expectNext(new CacheLookup<>(fresh, CacheOutcome.BYPASS))
			.verifyComplete();
		this.cache.item(REGION, "f1", Widget.class, origin(null), false)
			.as(StepVerifier::create)
			.expectNext(new CacheLookup<>(fresh, CacheOutcome.HIT))
			.verifyComplete();
	}

	@Test
	void disabledCacheReadsTheOriginEveryTimeAndWritesNothing() {
		// Its own namespace: the enabled engine of the other tests writes under theirs.
		String prefix = CacheTestSupport.uniquePrefix("off");
		CacheProperties base = CacheTestSupport.properties(prefix, Duration.ofSeconds(5), Duration.ofSeconds(2));
		CacheProperties off = new CacheProperties(false, base.keyPrefix(), base.ttl(), base.lock(),
				base.compressionThreshold(), base.warmup());
		TestCacheEngine disabled = new TestCacheEngine(this.factory, off, TestCacheEngine.shippedResilience());
		Widget widget = new Widget("g1", "gear", 1);
		for (int i = 0; i < 2; i++) {
			disabled.item(REGION, "g1", Widget.class, origin(widget), false)
				.as(StepVerifier::create)
				.expectNext(new CacheLookup<>(widget, CacheOutcome.BYPASS))
				.verifyComplete();
		}
		disabled.written(REGION, "g1", widget).as(StepVerifier::create).verifyComplete();
		assertThat(this.originReads).hasValue(2);
		this.redis.scan(org.springframework.data.redis.core.ScanOptions.scanOptions().match(prefix + "*").build())
			.as(StepVerifier::create)
			.verifyComplete();
		disabled.stats()
			.map(CacheStats::circuitBreaker)
			.as(StepVerifier::create)
			.expectNext("DISABLED")
			.verifyComplete();
	}

	@Test
	void fallsBackToTheOriginWhenRedisFails() {
		LettuceConnectionFactory dead = new LettuceConnectionFactory(
				new org.springframework.data.redis.connection.RedisStandaloneConfiguration("127.0.0.1", 1));
		dead.afterPropertiesSet();
		dead.start();
		try {
			TestCacheEngine broken = CacheTestSupport.engine(dead,
					CacheTestSupport.properties(this.prefix, Duration.ofSeconds(5), Duration.ofSeconds(2)));
			Widget widget = new Widget("h1", "hammer", 1);
			broken.item(REGION, "h1", Widget.class, origin(widget), false)
				.as(StepVerifier::create)
				.expectNext(new CacheLookup<>(widget, CacheOutcome.BYPASS))
				.verifyComplete();
			broken.query(REGION, QueryKind.COUNT, "", Long.class, countOrigin(5L), false)
				.as(StepVerifier::create)
				.expectNext(new CacheLookup<>(5L, CacheOutcome.BYPASS))
				.verifyComplete();
			broken.written(REGION, "h1", widget).as(StepVerifier::create).verifyComplete();
			// The first recovery failed and opened the breaker: later calls do not even
			// try Redis, and the write's invalidation waits in the journal.
			// Errors: the failed first recovery, and the write's two near cache
			// invalidations that could not be published.
			broken.stats().as(StepVerifier::create).assertNext((stats) -> {
				assertThat(stats.errors()).isEqualTo(3);
				assertThat(stats.circuitBreaker()).isEqualTo("OPEN");
				assertThat(stats.keys()).isEqualTo(-1);
			}).verifyComplete();
			assertThat(broken.resilience().journalSize()).isEqualTo(2);
			// Clearing cannot happen: the caller is told so (DELETE /api/cache answers
			// 503).
			broken.clear().as(StepVerifier::create).verifyError(CacheUnavailableException.class);
		}
		finally {
			dead.destroy();
		}
	}

	@Test
	void propagatesOriginErrorsAndReleasesTheLock() {
		this.cache.item(REGION, "i1", Widget.class, () -> Mono.error(new IllegalStateException("origin down")), false)
			.as(StepVerifier::create)
			.expectErrorMessage("origin down")
			.verify();
		this.redis.hasKey(this.prefix + "widget:{i1}:lock").as(StepVerifier::create).expectNext(false).verifyComplete();
	}

	@Test
	void replacesAnEntryItCannotReadAndToleratesFieldsAddedLater() {
		String key = this.prefix + "widget:{j1}";
		this.redis.opsForValue()
			.set(key, "\u0000{\"id\":\"j1\",\"name\":\"jig\",\"version\":1,\"colour\":\"red\"}")
			.block();
		this.cache.item(REGION, "j1", Widget.class, origin(null), false)
			.as(StepVerifier::create)
			.expectNext(new CacheLookup<>(new Widget("j1", "jig", 1), CacheOutcome.HIT))
			.verifyComplete();

		this.redis.opsForValue().set(key, "\u0000{\"id\":[not json").block();
		Widget widget = new Widget("j1", "jig", 2);
		this.cache.item(REGION, "j1", Widget.class, origin(widget), false)
			.as(StepVerifier::create)
			.expectNext(new CacheLookup<>(widget, CacheOutcome.MISS))
			.verifyComplete();
		this.cache.item(REGION, "j1", Widget.class, origin(null), false)
			.as(StepVerifier::create)
			.expectNext(new CacheLookup<>(widget, CacheOutcome.HIT))
			.verifyComplete();
		this.cache.stats().map(CacheStats::errors).as(StepVerifier::create).expectNext(1L).verifyComplete();
	}

	private Supplier<Mono<Widget>> origin(Widget widget) {
		return () -> Mono.fromCallable(() -> {
			this.originReads.incrementAndGet();
			return widget;
		});
	}

	private Supplier<Mono<Long>> countOrigin(long count) {
		return () -> Mono.fromCallable(() -> {
			this.originReads.incrementAndGet();
			return count;
		});
	}

}
