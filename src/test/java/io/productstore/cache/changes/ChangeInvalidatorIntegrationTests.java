package io.productstore.cache.changes;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.productstore.cache.CacheLookup;
import io.productstore.cache.CacheMetrics;
import io.productstore.cache.CacheOutcome;
import io.productstore.cache.QueryKind;
import io.productstore.cache.TestCacheEngine;
import io.productstore.cache.changes.ChangeEvent.Effect;
import io.productstore.cache.redis.CacheKeys;
import io.productstore.cache.redis.InFlightLoads;
import io.productstore.cache.redis.RedisCacheStore;
import io.productstore.support.TestServers;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChangeInvalidator} on the suite's Redis, with two engines standing for
 * two instances: an old change never brings an older value back, each change is applied
 * once, a delete or insert reaches the entry whatever it held.
 */
class ChangeInvalidatorIntegrationTests {

	private static final String REGION = "widget";

	private final AtomicInteger originReads = new AtomicInteger();

	private final LettuceConnectionFactory[] factories = new LettuceConnectionFactory[2];

	private final TestCacheEngine[] engines = new TestCacheEngine[2];

	private final ChangeInvalidator[] invalidators = new ChangeInvalidator[2];

	private final ChangeStreamMetrics metrics = new ChangeStreamMetrics(new SimpleMeterRegistry(), "widgets");

	private volatile Widget origin;

	@BeforeEach
	void startTwoInstances() {
		String prefix = "invalidator-" + new ObjectId() + ":";
		for (int i = 0; i < 2; i++) {
			this.factories[i] = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration(TestServers.redis().host(), TestServers.redis().port()));
			this.factories[i].afterPropertiesSet();
			this.factories[i].start();
			this.engines[i] = new TestCacheEngine(this.factories[i],
					TestCacheEngine.cacheProperties(Map.of("key-prefix", prefix)), TestCacheEngine.shippedResilience())
				.ready();
			CacheMetrics metrics = new CacheMetrics(new SimpleMeterRegistry());
			this.invalidators[i] = new ChangeInvalidator(this.engines[i].resilience(),
					new RedisCacheStore(this.factories[i], metrics, this.engines[i].resilience().writeGuard()),
					this.engines[i].near(), this.engines[i].bus(),
					new InFlightLoads(new CacheMetrics(new SimpleMeterRegistry())), new CacheKeys(prefix),
					Duration.ofHours(1));
		}
	}

	@AfterEach
	void stop() {
		this.engines[0].clear().block();
		for (LettuceConnectionFactory factory : this.factories) {
			factory.destroy();
		}
	}

	@Test
	void anOldChangeArrivingAfterANewerWriteNeverBringsAnOlderValueBack() {
		this.origin = new Widget("w", 5);
		this.engines[0].written(REGION, "w", new Widget("w", 5), 5).block();
		// The stream lags: the change that made version 3 arrives now.
		apply(0, ChangeBatchTests.change("w", 1, 3L));
		read(0).expectNext(new CacheLookup<>(new Widget("w", 5), CacheOutcome.MISS)).verifyComplete();
		// A write-through of version 4 that was held up somewhere is refused: the version
		// record still says 5.
		this.engines[1].written(REGION, "w", new Widget("w", 4), 4).block();
		read(1).expectNext(new CacheLookup<>(new Widget("w", 5), CacheOutcome.HIT)).verifyComplete();
	}

	@Test
	void aNewerChangeRefusesALateWriteThroughOfTheVersionBeforeIt() {
		this.engines[0].written(REGION, "w", new Widget("w", 1), 1).block();
		this.origin = new Widget("w", 2);
		apply(1, ChangeBatchTests.change("w", 7, 2L));
		// The write of version 1 finishes its cache step only now.
		this.engines[0].written(REGION, "w", new Widget("w", 1), 1).block();
		read(0).expectNext(new CacheLookup<>(new Widget("w", 2), CacheOutcome.MISS)).verifyComplete();
	}

	@Test
	void eachChangeIsAppliedOnceWhicheverInstanceGetsThereFirst() {
		this.origin = new Widget("w", 2);
		this.engines[0].written(REGION, "w", new Widget("w", 1), 1).block();
		apply(0, ChangeBatchTests.change("w", 5, 2L));
		read(0).expectNext(new CacheLookup<>(new Widget("w", 2), CacheOutcome.MISS)).verifyComplete();
		// The other instance's stream delivers the same change later: the entry filled
		// meanwhile stays.
		apply(1, ChangeBatchTests.change("w", 5, 2L));
		read(1).expectNext(new CacheLookup<>(new Widget("w", 2), CacheOutcome.HIT)).verifyComplete();
		assertThat(this.originReads).hasValue(1);
	}

	@Test
	void aDeleteRemovesTheEntryAndRefusesEveryLaterWriteThroughOfTheDocument() {
		this.engines[0].written(REGION, "w", new Widget("w", 7), 7).block();
		this.origin = null;
		apply(0, ChangeBatchTests.event(Effect.REMOVED, "w", 3, null));
		read(0).expectNext(new CacheLookup<>(null, CacheOutcome.MISS)).verifyComplete();
		this.engines[0].written(REGION, "w", new Widget("w", 8), 8).block();
		read(1).expectNext(new CacheLookup<>(null, CacheOutcome.HIT)).verifyComplete();
	}

	@Test
	void anInsertRemovesTheNegativeEntryOfItsId() {
		this.origin = null;
		read(0).expectNext(new CacheLookup<>(null, CacheOutcome.MISS)).verifyComplete();
		this.origin = new Widget("w", 0);
		apply(1, ChangeBatchTests.change("w", 4, 0L));
		read(0).expectNext(new CacheLookup<>(new Widget("w", 0), CacheOutcome.MISS)).verifyComplete();
	}

	@Test
	void bumpsTheRegionsListsOncePerChangeAcrossInstances() {
		AtomicInteger loads = new AtomicInteger();
		query(0, loads).expectNextCount(1).verifyComplete();
		apply(0, ChangeBatchTests.change("w", 9, 1L));
		query(0, loads).expectNextCount(1).verifyComplete();
		apply(1, ChangeBatchTests.change("w", 9, 1L));
		query(1, loads).expectNextMatches((lookup) -> lookup.outcome() == CacheOutcome.HIT).verifyComplete();
		assertThat(loads).hasValue(2);
	}

	private void apply(int instance, ChangeEvent... events) {
		this.invalidators[instance].apply(REGION, ChangeBatch.of(List.of(events)), this.metrics)
			.as(StepVerifier::create)
			.verifyComplete();
	}

	private StepVerifier.FirstStep<CacheLookup<Widget>> read(int instance) {
		return this.engines[instance].item(REGION, "w", Widget.class, () -> Mono.fromCallable(() -> {
			this.originReads.incrementAndGet();
			return this.origin;
		}), false).as(StepVerifier::create);
	}

	private StepVerifier.FirstStep<CacheLookup<Long>> query(int instance, AtomicInteger loads) {
		return this.engines[instance]
			.query(REGION, QueryKind.COUNT, "all", Long.class,
					() -> Mono.fromCallable(() -> (long) loads.incrementAndGet()), false)
			.as(StepVerifier::create);
	}

	/** A cached entity. */
	record Widget(String id, long version) {

	}

}
