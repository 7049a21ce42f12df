package io.productstore.cache;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.productstore.cache.CacheTestSupport.Widget;
import io.productstore.cache.redis.CacheKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static io.productstore.cache.CacheTestSupport.REGION;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the stampede protection of {@link TestCacheEngine}: in-process coalescing and
 * the cross-instance lock, against a real {@code redis-server}.
 */
class StampedeIntegrationTests {

	private final AtomicInteger originReads = new AtomicInteger();

	private LettuceConnectionFactory factoryA;

	private LettuceConnectionFactory factoryB;

	private TestCacheEngine instanceA;

	private TestCacheEngine instanceB;

	private String prefix;

	@BeforeEach
	void startTwoInstances() {
		this.prefix = CacheTestSupport.uniquePrefix("stampede");
		// A lease far above the loaders' 100 ms, so only a dead holder's lock can expire.
		CacheProperties properties = CacheTestSupport.properties(this.prefix, Duration.ofSeconds(10),
				Duration.ofSeconds(3));
		this.factoryA = CacheTestSupport.connectionFactory();
		this.factoryB = CacheTestSupport.connectionFactory();
		this.instanceA = CacheTestSupport.engine(this.factoryA, properties);
		this.instanceB = CacheTestSupport.engine(this.factoryB, properties);
	}

	@AfterEach
	void stopInstances() {
		this.instanceA.clear().block();
		this.factoryA.destroy();
		this.factoryB.destroy();
	}

	@Test
	void loadsAColdItemOnceUnderFiveHundredConcurrentReadsInOneInstance() {
		Widget widget = new Widget("cold", "cold widget", 1);
		Flux.range(0, 500)
			.flatMap((i) -> this.instanceA.item(REGION, "cold", Widget.class, slowOrigin(widget), false), 500)
			.collectList()
			.as(StepVerifier::create)
			.assertNext((lookups) -> assertAllServed(lookups, widget))
			.verifyComplete();
		assertThat(this.originReads).hasValue(1);
	}

	@Test
	void coalescesForcedReloadsOfOneKeyInOneInstance() {
		Widget widget = new Widget("forced", "forced widget", 1);
		Flux.range(0, 200)
			.flatMap((i) -> this.instanceA.item(REGION, "forced", Widget.class, slowOrigin(widget), true), 200)
			.collectList()
			.as(StepVerifier::create)
			.assertNext((lookups) -> assertThat(lookups).hasSize(200)
				.allSatisfy((lookup) -> assertThat(lookup.value()).isEqualTo(widget)))
			.verifyComplete();
		// Cache-Control: no-cache from any client: one origin read per key, not one each.
		assertThat(this.originReads).hasValue(1);
	}

	@Test
	void loadsAColdItemOnceUnderConcurrentReadsAcrossTwoInstances() {
		Widget widget = new Widget("shared", "shared widget", 1);
		Flux.range(0, 200)
			.flatMap((i) -> instance(i).item(REGION, "shared", Widget.class, slowOrigin(widget), false), 200)
			.collectList()
			.as(StepVerifier::create)
			.assertNext((lookups) -> assertAllServed(lookups, widget))
			.verifyComplete();
		assertThat(this.originReads).hasValue(1);
		long waits = this.instanceA.stats().block().lockWaits() + this.instanceB.stats().block().lockWaits();
		assertThat(waits).isPositive();
	}

	@Test
	void loadsAColdListPageOnceUnderConcurrentReadsAcrossTwoInstances() {
		Flux.range(0, 200)
			.flatMap((i) -> instance(i).query(REGION, QueryKind.LIST, "category=tools&page=0&size=20", Widget.class,
					slowOrigin(new Widget("page", "first page", 0)), false), 200)
			.collectList()
			.as(StepVerifier::create)
			.assertNext((lookups) -> assertThat(lookups).hasSize(200))
			.verifyComplete();
		Flux.range(0, 500)
			.flatMap((i) -> this.instanceA.query(REGION, QueryKind.COUNT, "category=tools", Long.class,
					() -> Mono.delay(Duration.ofMillis(100)).map((tick) -> (long) this.originReads.incrementAndGet()),
					false), 500)
			.map(CacheLookup::value)
			.distinct()
			.as(StepVerifier::create)
			.expectNext(2L)
			.verifyComplete();
		assertThat(this.originReads).hasValue(2);
	}

	@Test
	void readsAfterALockHolderCrashedProceedOnceItsLeaseExpires() {
		CacheKeys.ItemKeys keys = new CacheKeys(this.prefix).item(REGION, "orphan");
		CacheTestSupport.strings(this.factoryA)
			.opsForValue()
			.setIfAbsent(keys.lock(), "token-of-a-dead-instance", Duration.ofSeconds(1))
			.as(StepVerifier::create)
			.expectNext(true)
			.verifyComplete();
		Widget widget = new Widget("orphan", "orphan widget", 1);
		long start = System.nanoTime();
		Flux.range(0, 20)
			.flatMap((i) -> instance(i).item(REGION, "orphan", Widget.class, slowOrigin(widget), false))
			.collectList()
			.as(StepVerifier::create)
			.assertNext((lookups) -> assertAllServed(lookups, widget))
			.verifyComplete();
		Duration waited = Duration.ofNanos(System.nanoTime() - start);
		// The dead holder's lock lived 1 s; the waiters took it over instead of timing
		// out
		// (after 3 s they would read the origin twice and store nothing).
		assertThat(waited).isBetween(Duration.ofMillis(800), Duration.ofMillis(4000));
		assertThat(this.originReads).hasValue(1);
		this.instanceA.item(REGION, "orphan", Widget.class, slowOrigin(widget), false)
			.map(CacheLookup::outcome)
			.as(StepVerifier::create)
			.expectNext(CacheOutcome.HIT)
			.verifyComplete();
	}

	@Test
	void waitersGiveUpAfterTheMaximumWaitAndReadTheOriginThemselves() {
		CacheProperties impatient = CacheTestSupport.properties(this.prefix, Duration.ofSeconds(30),
				Duration.ofMillis(300));
		TestCacheEngine cache = CacheTestSupport.engine(this.factoryA, impatient);
		CacheKeys.ItemKeys keys = new CacheKeys(this.prefix).item(REGION, "stuck");
		CacheTestSupport.strings(this.factoryA)
			.opsForValue()
			.setIfAbsent(keys.lock(), "token-of-a-hung-instance", Duration.ofSeconds(30))
			.block();
		Widget widget = new Widget("stuck", "stuck widget", 1);
		cache.item(REGION, "stuck", Widget.class, slowOrigin(widget), false)
			.as(StepVerifier::create)
			.expectNext(new CacheLookup<>(widget, CacheOutcome.MISS))
			.expectComplete()
			.verify(Duration.ofSeconds(2));
		// Without the lease it must not store: the holder may still store a newer value.
		CacheTestSupport.strings(this.factoryA)
			.hasKey(keys.entry())
			.as(StepVerifier::create)
			.expectNext(false)
			.verifyComplete();
		assertThat(cache.stats().block().lockWaits()).isEqualTo(1);
	}

	private TestCacheEngine instance(int i) {
		return (i % 2 == 0) ? this.instanceA : this.instanceB;
	}

	private <T> Supplier<Mono<T>> slowOrigin(T value) {
		return () -> Mono.delay(Duration.ofMillis(100)).map((tick) -> {
			this.originReads.incrementAndGet();
			return value;
		});
	}

	private static void assertAllServed(List<CacheLookup<Widget>> lookups, Widget widget) {
		assertThat(lookups).hasSizeGreaterThan(1).allSatisfy((lookup) -> assertThat(lookup.value()).isEqualTo(widget));
	}

}
