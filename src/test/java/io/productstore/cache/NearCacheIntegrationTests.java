package io.productstore.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

	private final CacheProperties properties = CacheTestSupport.properties(CacheTestSupport.uniquePrefix("near"),
			Duration.ofSeconds(5), Duration.ofSeconds(2));

	private final List<TestCacheEngine> others = new ArrayList<>();

	@BeforeEach
	void setUp() {
		this.cache = instance();
		this.near = this.cache.near();
		this.bus = this.cache.bus();
	}

	@AfterEach
	void tearDown() {
		this.bus.stop();
		this.others.forEach((other) -> other.bus().stop());
		this.factory.destroy();
	}

	/** An instance of the engine on this test's namespace, its near cache active. */
	private TestCacheEngine instance() {
		TestCacheEngine instance = new TestCacheEngine(this.factory, this.properties,
				TestCacheEngine.shippedResilience(),
				TestCacheEngine.bind("app.cache.near", NearCacheProperties.class, Map.of()),
				TestCacheEngine.bind("app.cache.early-refresh", EarlyRefreshProperties.class, Map.of()))
			.ready();
		instance.bus().start();
		await().atMost(Duration.ofSeconds(10)).until(() -> instance.near().state().equals("ACTIVE"));
		return instance;
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
	void aReadThatJoinedALoadWhoseStoreAnotherInstancesDeleteRefusedDoesNotFillMemory() {
		TestCacheEngine other = instance();
		this.others.add(other);
		Sinks.One<CacheTestSupport.Widget> gate = Sinks.one();
		// 1. A reader here misses, takes the lease and reads the product from the origin,
		// where it is held ...
		Mono<CachedRead<CacheTestSupport.Widget>> slowRead = read(gate.asMono()).cache();
		slowRead.subscribe();
		await().until(() -> this.cache.stats().block().originReads() == 1);
		// 2. ... the other instance deletes the product; its invalidation reaches this
		// instance's memory ...
		long invalidations = this.near.stats().invalidations();
		other.written(CacheTestSupport.REGION, ID, null, 2).block();
		await().until(() -> this.near.stats().invalidations() > invalidations);
		// 3. ... a second reader here misses memory and Redis (the entry is gone) and
		// joins the load still running in this instance ...
		long joined = this.cache.metrics().loadsJoined();
		Mono<CachedRead<CacheTestSupport.Widget>> lateRead = read(
				Mono.error(new AssertionError("the late reader read the origin itself")))
			.cache();
		lateRead.subscribe();
		await().until(() -> this.cache.metrics().loadsJoined() > joined);
		// 4. ... and the load ends: Redis refuses its store (the delete took its lease).
		gate.tryEmitValue(widget("deleted", 1));
		assertThat(slowRead.block().value().name()).isEqualTo("deleted");
		assertThat(lateRead.block().value().name()).isEqualTo("deleted");

		// Neither reader left the deleted product in memory.
		assertThat(this.near.stats().entries()).isZero();
		CachedRead<CacheTestSupport.Widget> next = read(Mono.empty()).block();
		assertThat(next.value()).isNull();
		assertThat(next.level()).isNotEqualTo(CacheLevel.NEAR);
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
