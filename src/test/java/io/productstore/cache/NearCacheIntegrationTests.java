package io.productstore.cache;

import java.time.Duration;
import java.util.Map;

import io.productstore.cache.near.InvalidationBus;
import io.productstore.cache.near.NearCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link NearCache} over a real Redis: levels, the fill guard and suspension.
 */
class NearCacheIntegrationTests {

	private static final String ID = "42";

	private final LettuceConnectionFactory factory = CacheTestSupport.connectionFactory();

	private TestCacheEngine cache;

	private NearCache near;

	private InvalidationBus bus;

	@BeforeEach
	void setUp() {
		this.cache = new TestCacheEngine(this.factory,
				CacheTestSupport.properties(CacheTestSupport.uniquePrefix("near"), Duration.ofSeconds(5),
						Duration.ofSeconds(2)),
				TestCacheEngine.shippedResilience(),
				TestCacheEngine.bind("app.cache.near", NearCacheProperties.class, Map.of()),
				TestCacheEngine.bind("app.cache.early-refresh", EarlyRefreshProperties.class, Map.of()))
			.ready();
		this.near = this.cache.near();
		this.bus = this.cache.bus();
		this.bus.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.near.state().equals("ACTIVE"));
	}

	@AfterEach
	void tearDown() {
		this.bus.stop();
		this.factory.destroy();
	}

	@Test
	void servesFromRedisOnceThenFromMemoryAsTheSameJson() {
		this.cache.written(CacheTestSupport.REGION, ID, widget("one", 1), 1).block();
		CachedRead<CacheTestSupport.Widget> first = read(Mono.empty()).block();
		CachedRead<CacheTestSupport.Widget> second = read(Mono.empty()).block();
		assertThat(first.level()).isEqualTo(CacheLevel.REDIS);
		assertThat(second.level()).isEqualTo(CacheLevel.NEAR);
		assertThat(second.outcome()).isEqualTo(CacheOutcome.HIT);
		assertThat(second.value()).isEqualTo(widget("one", 1));
		assertThat(second.json()).isEqualTo(first.json());
		assertThat(second.digest()).isNull();
		assertThat(this.cache.stats().block().nearHits()).isEqualTo(1);
	}

	@Test
	void neverKeepsAValueReadBeforeAWriteThatRacedWithIt() {
		Sinks.One<CacheTestSupport.Widget> gate = Sinks.one();
		Mono<CachedRead<CacheTestSupport.Widget>> slowRead = read(gate.asMono()).cache();
		slowRead.subscribe();
		await().until(() -> this.cache.stats().block().originReads() == 1);
		this.cache.written(CacheTestSupport.REGION, ID, widget("new", 2), 2).block();
		gate.tryEmitValue(widget("old", 1));
		assertThat(slowRead.block().value().name()).isEqualTo("old");

		CachedRead<CacheTestSupport.Widget> next = read(Mono.empty()).block();
		assertThat(next.value().name()).isEqualTo("new");
		assertThat(next.level()).isEqualTo(CacheLevel.REDIS);
		assertThat(read(Mono.empty()).block().value().name()).isEqualTo("new");
	}

	@Test
	void clearsAndStopsFillingWhileRedisIsReportedUnavailable() {
		this.cache.written(CacheTestSupport.REGION, ID, widget("one", 1), 1).block();
		read(Mono.empty()).block();
		assertThat(read(Mono.empty()).block().level()).isEqualTo(CacheLevel.NEAR);

		this.near.availabilityChanged(new CacheAvailabilityChanged(false, "test"));
		assertThat(this.near.state()).isEqualTo("SUSPENDED");
		assertThat(this.near.stats().entries()).isZero();
		assertThat(read(Mono.empty()).block().level()).isEqualTo(CacheLevel.REDIS);
		assertThat(read(Mono.empty()).block().level()).isEqualTo(CacheLevel.REDIS);

		this.near.availabilityChanged(new CacheAvailabilityChanged(true, "test"));
		assertThat(this.near.state()).isEqualTo("ACTIVE");
		read(Mono.empty()).block();
		assertThat(read(Mono.empty()).block().level()).isEqualTo(CacheLevel.NEAR);
	}

	private Mono<CachedRead<CacheTestSupport.Widget>> read(Mono<CacheTestSupport.Widget> origin) {
		return this.cache.region(CacheTestSupport.REGION).item(ID, CacheTestSupport.Widget.class, () -> origin, false);
	}

	private static CacheTestSupport.Widget widget(String name, long version) {
		return new CacheTestSupport.Widget(ID, name, version);
	}

}
