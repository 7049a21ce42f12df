package io.productstore.cache.near;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.productstore.cache.CacheAvailabilityChanged;
import io.productstore.cache.CacheLevel;
import io.productstore.cache.CacheLookup;
import io.productstore.cache.CacheMetrics;
import io.productstore.cache.CacheOutcome;
import io.productstore.cache.CachedRead;
import io.productstore.cache.EarlyRefreshProperties;
import io.productstore.cache.NearCacheProperties;
import io.productstore.cache.TestCacheEngine;
import io.productstore.cache.redis.EarlyRefresh;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NearCache}, with a fake ticker and a next level that answers what each
 * test tells it to.
 */
class NearCacheTests {

	private static final String KEY = "productstore:product:{1}";

	private static final String QUERIES = "productstore:product:q:";

	private static final String QUERY = QUERIES + "list:3f2a";

	private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final NearCacheProperties properties = TestCacheEngine.bind("app.cache.near", NearCacheProperties.class,
			Map.of("ttl", "10s"));

	private final NearCache near = nearCache();

	private final Through through = new Through();

	@Test
	void servesAnEntryFromMemoryAfterItWasFilled() {
		this.through.answer(new Widget("1", "w"), CacheOutcome.HIT);
		read(KEY).as(StepVerifier::create).assertNext((read) -> {
			assertThat(read.value()).isEqualTo(new Widget("1", "w"));
			assertThat(read.level()).isEqualTo(CacheLevel.REDIS);
			assertThat(new String(read.json())).isEqualTo("{\"id\":\"1\",\"name\":\"w\"}");
		}).verifyComplete();
		read(KEY).as(StepVerifier::create).assertNext((read) -> {
			assertThat(read.value()).isEqualTo(new Widget("1", "w"));
			assertThat(read.outcome()).isEqualTo(CacheOutcome.HIT);
			assertThat(read.level()).isEqualTo(CacheLevel.NEAR);
		}).verifyComplete();
		assertThat(this.through.calls()).containsExactly(false);
		assertThat(this.near.stats().entries()).isOne();
	}

	@Test
	void digestsTheJsonOnlyWhereAskedTo() {
		this.through.answer(new Widget("1", "w"), CacheOutcome.MISS);
		this.through.answer(new Widget("1", "w"), CacheOutcome.MISS);
		read(KEY).as(StepVerifier::create).assertNext((read) -> assertThat(read.digest()).isNull()).verifyComplete();
		this.near.read(QUERY, QUERIES, true, false, this.through)
			.as(StepVerifier::create)
			.assertNext((read) -> assertThat(read.digest()).hasSize(24))
			.verifyComplete();
	}

	@Test
	void anEntryExpiresAfterTheNearTtl() {
		this.through.answer(new Widget("1", "old"), CacheOutcome.HIT);
		this.through.answer(new Widget("1", "new"), CacheOutcome.HIT);
		read(KEY).as(StepVerifier::create).expectNextCount(1).verifyComplete();
		this.nanos.addAndGet(this.properties.ttl().toNanos() - 1);
		assertServedFrom(read(KEY), CacheLevel.NEAR);
		this.nanos.incrementAndGet();
		read(KEY).as(StepVerifier::create).assertNext((read) -> {
			assertThat(read.value().name()).isEqualTo("new");
			assertThat(read.level()).isEqualTo(CacheLevel.REDIS);
		}).verifyComplete();
	}

	@Test
	void aBypassDropsTheEntryAndReadsThroughWithBypass() {
		this.through.answer(new Widget("1", "old"), CacheOutcome.HIT);
		this.through.answer(new Widget("1", "origin"), CacheOutcome.BYPASS);
		this.through.answer(new Widget("1", "redis"), CacheOutcome.HIT);
		read(KEY).as(StepVerifier::create).expectNextCount(1).verifyComplete();
		this.near.read(KEY, KEY, false, true, this.through)
			.as(StepVerifier::create)
			.assertNext((read) -> assertThat(read.value().name()).isEqualTo("origin"))
			.verifyComplete();
		assertName(read(KEY), "redis");
		assertThat(this.through.calls()).containsExactly(false, true, false);
	}

	@Test
	void aBypassOutcomeFromTheNextLevelIsNeverStored() {
		this.through.answer(new Widget("1", "redis down"), CacheOutcome.BYPASS);
		this.through.answer(new Widget("1", "redis down"), CacheOutcome.BYPASS);
		assertServedFrom(read(KEY), CacheLevel.ORIGIN);
		assertServedFrom(read(KEY), CacheLevel.ORIGIN);
		assertThat(this.through.calls()).hasSize(2);
		assertThat(this.near.stats().entries()).isZero();
	}

	@Test
	void storesANegativeEntry() {
		this.through.answer(null, CacheOutcome.MISS);
		read(KEY).as(StepVerifier::create).assertNext((read) -> assertThat(read.found()).isFalse()).verifyComplete();
		read(KEY).as(StepVerifier::create).assertNext((read) -> {
			assertThat(read.found()).isFalse();
			assertThat(read.level()).isEqualTo(CacheLevel.NEAR);
		}).verifyComplete();
	}

	@Test
	void anItemWrittenWhileItsFillReadsTheNextLevelDoesNotLeaveTheOldValue() {
		Sinks.One<CacheLookup<Widget>> redis = Sinks.one();
		this.through.answer(redis.asMono());
		this.through.answer(new Widget("1", "new"), CacheOutcome.HIT);
		read(KEY).as(StepVerifier::create)
			.then(() -> this.near.invalidateItem(KEY))
			.then(() -> redis.tryEmitValue(new CacheLookup<>(new Widget("1", "old"), CacheOutcome.HIT)))
			.assertNext((read) -> assertThat(read.value().name()).isEqualTo("old"))
			.verifyComplete();
		assertName(read(KEY), "new");
	}

	@Test
	void queriesInvalidatedWhileAFillReadsTheNextLevelDoNotLeaveTheOldPage() {
		Sinks.One<CacheLookup<Widget>> redis = Sinks.one();
		this.through.answer(redis.asMono());
		this.through.answer(new Widget("page", "new"), CacheOutcome.HIT);
		readQuery().as(StepVerifier::create)
			.then(() -> this.near.invalidateQueries(QUERIES))
			.then(() -> redis.tryEmitValue(new CacheLookup<>(new Widget("page", "old"), CacheOutcome.HIT)))
			.assertNext((read) -> assertThat(read.value().name()).isEqualTo("old"))
			.verifyComplete();
		assertName(readQuery(), "new");
	}

	@Test
	void invalidateQueriesDropsTheQueriesOfTheStripeAndKeepsItems() {
		this.through.answer(new Widget("1", "item"), CacheOutcome.HIT);
		this.through.answer(new Widget("page", "page"), CacheOutcome.HIT);
		read(KEY).as(StepVerifier::create).expectNextCount(1).verifyComplete();
		readQuery().as(StepVerifier::create).expectNextCount(1).verifyComplete();
		this.near.invalidateQueries(QUERIES);
		// The results of the stripe are unreachable at once (they leave memory by TTL).
		this.through.answer(new Widget("page", "page 2"), CacheOutcome.HIT);
		assertServedFrom(readQuery(), CacheLevel.REDIS);
		assertServedFrom(read(KEY), CacheLevel.NEAR);
	}

	@Test
	void becomingUnavailableClearsTheNearCacheAndStopsFillingIt() {
		this.through.answer(new Widget("1", "w"), CacheOutcome.HIT);
		this.through.answer(new Widget("1", "w"), CacheOutcome.HIT);
		this.through.answer(new Widget("1", "w"), CacheOutcome.HIT);
		this.through.answer(new Widget("1", "w"), CacheOutcome.HIT);
		read(KEY).as(StepVerifier::create).expectNextCount(1).verifyComplete();
		this.near.availabilityChanged(new CacheAvailabilityChanged(false, "breaker open"));
		assertThat(this.near.stats()).isEqualTo(new NearCacheStats("SUSPENDED", 0, 0, 1));
		read(KEY).as(StepVerifier::create).expectNextCount(1).verifyComplete();
		assertServedFrom(read(KEY), CacheLevel.REDIS);
		this.near.availabilityChanged(new CacheAvailabilityChanged(true, "recovered"));
		assertThat(this.near.state()).isEqualTo("ACTIVE");
		read(KEY).as(StepVerifier::create).expectNextCount(1).verifyComplete();
		assertThat(this.near.stats().entries()).isOne();
		assertThat(this.through.calls()).hasSize(4);
	}

	@Test
	void aDroppedSubscriptionClearsTheNearCacheAndRefusesTheFillInFlight() {
		Sinks.One<CacheLookup<Widget>> redis = Sinks.one();
		this.through.answer(new Widget("1", "w"), CacheOutcome.HIT);
		this.through.answer(redis.asMono());
		read(KEY).as(StepVerifier::create).expectNextCount(1).verifyComplete();
		readQuery().as(StepVerifier::create).then(() -> {
			this.near.subscribed(false);
			this.near.subscribed(true);
		})
			.then(() -> redis.tryEmitValue(new CacheLookup<>(new Widget("page", "w"), CacheOutcome.HIT)))
			.expectNextCount(1)
			.verifyComplete();
		assertThat(this.near.stats()).isEqualTo(new NearCacheStats("ACTIVE", 0, 0, 1));
	}

	@Test
	void readsThroughWithoutStoringWhenDisabled() {
		NearCache disabled = new NearCache(
				TestCacheEngine.bind("app.cache.near", NearCacheProperties.class, Map.of("enabled", "false")), true,
				JsonMapper.builder().build(), new CacheMetrics(this.registry), earlyRefresh(), this.registry,
				this.nanos::get);
		this.through.answer(new Widget("1", "w"), CacheOutcome.HIT);
		this.through.answer(new Widget("1", "w"), CacheOutcome.HIT);
		disabled.read(KEY, KEY, false, false, this.through)
			.as(StepVerifier::create)
			.expectNextCount(1)
			.verifyComplete();
		disabled.read(KEY, KEY, false, false, this.through)
			.as(StepVerifier::create)
			.expectNextCount(1)
			.verifyComplete();
		assertThat(this.through.calls()).hasSize(2);
		assertThat(disabled.state()).isEqualTo("DISABLED");
	}

	private static void assertServedFrom(Mono<CachedRead<Widget>> read, CacheLevel level) {
		read.as(StepVerifier::create)
			.assertNext((served) -> assertThat(served.level()).isEqualTo(level))
			.verifyComplete();
	}

	private static void assertName(Mono<CachedRead<Widget>> read, String name) {
		read.as(StepVerifier::create)
			.assertNext((served) -> assertThat(served.value().name()).isEqualTo(name))
			.verifyComplete();
	}

	private Mono<CachedRead<Widget>> read(String key) {
		return this.near.read(key, key, false, false, this.through);
	}

	private Mono<CachedRead<Widget>> readQuery() {
		return this.near.read(QUERY, QUERIES, true, false, this.through);
	}

	private NearCache nearCache() {
		NearCache cache = new NearCache(this.properties, true, JsonMapper.builder().build(),
				new CacheMetrics(this.registry), earlyRefresh(), this.registry, this.nanos::get);
		// Invalidations are received from here on (the bus says so once subscribed).
		cache.subscribed(true);
		return cache;
	}

	/** Off: early refresh draws random numbers, and is tested on its own. */
	private EarlyRefresh earlyRefresh() {
		return new EarlyRefresh(TestCacheEngine.bind("app.cache.early-refresh", EarlyRefreshProperties.class,
				Map.of("enabled", "false")), new CacheMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
	}

	record Widget(String id, String name) {

	}

	/** The next level: answers in the order told, and records each call's bypass flag. */
	static final class Through implements Function<Boolean, Mono<CacheLookup<Widget>>> {

		private final Deque<Mono<CacheLookup<Widget>>> answers = new ArrayDeque<>();

		private final List<Boolean> calls = new ArrayList<>();

		void answer(Widget value, CacheOutcome outcome) {
			answer(Mono.just(new CacheLookup<>(value, outcome)));
		}

		void answer(Mono<CacheLookup<Widget>> answer) {
			this.answers.add(answer);
		}

		List<Boolean> calls() {
			return this.calls;
		}

		@Override
		public Mono<CacheLookup<Widget>> apply(Boolean bypass) {
			this.calls.add(bypass);
			Mono<CacheLookup<Widget>> answer = this.answers.poll();
			return (answer != null) ? answer : Mono.error(new AssertionError("unexpected read of the next level"));
		}

	}

}
