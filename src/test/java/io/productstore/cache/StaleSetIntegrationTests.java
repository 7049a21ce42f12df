package io.productstore.cache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.productstore.cache.CacheTestSupport.Widget;
import io.productstore.cache.admin.CacheStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static io.productstore.cache.CacheTestSupport.REGION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the stale-set prevention of {@link TestCacheEngine}: the race between a slow
 * reader and a writer, forced step by step.
 */
class StaleSetIntegrationTests {

	private LettuceConnectionFactory factory;

	private TestCacheEngine cache;

	@BeforeEach
	void startEngine() {
		this.factory = CacheTestSupport.connectionFactory();
		this.cache = CacheTestSupport.engine(this.factory, CacheTestSupport
			.properties(CacheTestSupport.uniquePrefix("stale"), Duration.ofSeconds(5), Duration.ofSeconds(2)));
	}

	@AfterEach
	void stopEngine() {
		this.cache.clear().block();
		this.factory.destroy();
	}

	@Test
	void aReaderThatReadTheOriginBeforeAWriteCannotStoreWhatItRead() {
		Widget v1 = new Widget("x1", "version one", 1);
		Widget v2 = new Widget("x1", "version two", 2);
		AtomicBoolean originRead = new AtomicBoolean();
		Sinks.Empty<Void> gate = Sinks.empty();
		// 1. The reader misses, takes the lease and reads v1 from the origin ...
		Mono<CacheLookup<Widget>> reader = this.cache
			.item(REGION, "x1", Widget.class,
					() -> Mono.fromCallable(() -> v1)
						.doOnNext((v) -> originRead.set(true))
						.delayUntil((v) -> gate.asMono()),
					false)
			.cache();
		reader.subscribe();
		await().atMost(Duration.ofSeconds(5)).untilTrue(originRead);
		// 2. ... a writer stores v2 and records the write in the cache ...
		this.cache.written(REGION, "x1", v2).as(StepVerifier::create).verifyComplete();
		// 3. ... then the reader resumes and tries to store v1.
		gate.tryEmitEmpty();
		reader.as(StepVerifier::create).expectNext(new CacheLookup<>(v1, CacheOutcome.MISS)).verifyComplete();

		this.cache.item(REGION, "x1", Widget.class, () -> Mono.error(new AssertionError("origin read")), false)
			.as(StepVerifier::create)
			.expectNext(new CacheLookup<>(v2, CacheOutcome.HIT))
			.verifyComplete();
		this.cache.stats()
			.map(CacheStats::staleWritesRejected)
			.as(StepVerifier::create)
			.expectNext(1L)
			.verifyComplete();
	}

	@Test
	void aSlowListReaderStoresUnderAGenerationNobodyReadsAnyMore() {
		AtomicBoolean originRead = new AtomicBoolean();
		AtomicInteger reads = new AtomicInteger();
		Sinks.Empty<Void> gate = Sinks.empty();
		Mono<CacheLookup<Long>> reader = this.cache
			.query(REGION, QueryKind.COUNT, "active=true", Long.class,
					() -> Mono.fromCallable(() -> 1L)
						.doOnNext((v) -> originRead.set(true))
						.doOnNext((v) -> reads.incrementAndGet())
						.delayUntil((v) -> gate.asMono()),
					false)
			.cache();
		reader.subscribe();
		await().atMost(Duration.ofSeconds(5)).untilTrue(originRead);
		this.cache.written(REGION, "x2", new Widget("x2", "new", 0)).as(StepVerifier::create).verifyComplete();
		gate.tryEmitEmpty();
		reader.map(CacheLookup::value).as(StepVerifier::create).expectNext(1L).verifyComplete();

		this.cache.query(REGION, QueryKind.COUNT, "active=true", Long.class, () -> Mono.fromCallable(() -> {
			reads.incrementAndGet();
			return 2L;
		}), false).as(StepVerifier::create).expectNext(new CacheLookup<>(2L, CacheOutcome.MISS)).verifyComplete();
		assertThat(reads).hasValue(2);
	}

	@Test
	void versionedWritesArrivingOutOfOrderLeaveTheNewerValue() {
		Widget v2 = new Widget("x3", "two", 2);
		Widget v3 = new Widget("x3", "three", 3);
		this.cache.written(REGION, "x3", v3, 3).as(StepVerifier::create).verifyComplete();
		this.cache.written(REGION, "x3", v2, 2).as(StepVerifier::create).verifyComplete();
		this.cache.item(REGION, "x3", Widget.class, () -> Mono.error(new AssertionError("origin read")), false)
			.map(CacheLookup::value)
			.as(StepVerifier::create)
			.expectNext(v3)
			.verifyComplete();
		this.cache.stats()
			.map(CacheStats::staleWritesRejected)
			.as(StepVerifier::create)
			.expectNext(1L)
			.verifyComplete();
	}

	@Test
	void aLateUpdateCannotResurrectADeletedEntity() {
		this.cache.written(REGION, "x4", null, 5).as(StepVerifier::create).verifyComplete();
		this.cache.written(REGION, "x4", new Widget("x4", "old", 5), 5).as(StepVerifier::create).verifyComplete();
		this.cache.item(REGION, "x4", Widget.class, Mono::empty, false)
			.as(StepVerifier::create)
			.expectNext(new CacheLookup<>(null, CacheOutcome.MISS))
			.verifyComplete();
	}

	@Test
	void aDeleteRemovesTheEntryItsLastUpdateWrote() {
		this.cache.written(REGION, "x5", new Widget("x5", "current", 5), 5).as(StepVerifier::create).verifyComplete();
		this.cache.written(REGION, "x5", null, 5).as(StepVerifier::create).verifyComplete();
		this.cache.item(REGION, "x5", Widget.class, Mono::empty, false)
			.as(StepVerifier::create)
			.expectNext(new CacheLookup<>(null, CacheOutcome.MISS))
			.verifyComplete();
	}

}
