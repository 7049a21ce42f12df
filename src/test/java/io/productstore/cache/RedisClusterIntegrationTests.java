package io.productstore.cache;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.productstore.cache.CacheTestSupport.Widget;
import io.productstore.cache.admin.CacheStats;
import io.productstore.support.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static io.productstore.cache.CacheTestSupport.REGION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link TestCacheEngine} against a real Redis Cluster of three masters on
 * loopback, formed by this class with {@code CLUSTER ADDSLOTS} and {@code CLUSTER MEET}.
 */
class RedisClusterIntegrationTests {

	private static RedisCluster cluster;

	private final AtomicInteger originReads = new AtomicInteger();

	private LettuceConnectionFactory factoryA;

	private LettuceConnectionFactory factoryB;

	private TestCacheEngine cache;

	private TestCacheEngine otherInstance;

	@BeforeAll
	static void formCluster() {
		cluster = RedisCluster.start(3);
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@BeforeEach
	void startEngines() {
		CacheProperties properties = CacheTestSupport.properties(CacheTestSupport.uniquePrefix("cluster"),
				Duration.ofSeconds(5), Duration.ofSeconds(2));
		this.factoryA = clusterConnectionFactory();
		this.factoryB = clusterConnectionFactory();
		this.cache = CacheTestSupport.engine(this.factoryA, properties);
		this.otherInstance = CacheTestSupport.engine(this.factoryB, properties);
	}

	@AfterEach
	void stopEngines() {
		this.factoryA.destroy();
		this.factoryB.destroy();
	}

	@Test
	void readsWritesAndInvalidatesItemsAndQueriesAcrossSlots() {
		List<String> ids = IntStream.range(0, 20).mapToObj((i) -> "id-" + i).toList();
		Flux.fromIterable(ids)
			.concatMap((id) -> this.cache.item(REGION, id, Widget.class, origin(new Widget(id, "w", 1)), false))
			.map(CacheLookup::outcome)
			.as(StepVerifier::create)
			.expectNextCount(20)
			.verifyComplete();
		Flux.fromIterable(ids)
			.concatMap((id) -> this.otherInstance.item(REGION, id, Widget.class, origin(null), false))
			.map(CacheLookup::outcome)
			.distinct()
			.as(StepVerifier::create)
			.expectNext(CacheOutcome.HIT)
			.verifyComplete();
		this.cache.query(REGION, QueryKind.COUNT, "all", Long.class, origin(20L), false).block();

		Widget updated = new Widget("id-3", "updated", 2);
		this.cache.written(REGION, "id-3", updated, 2).as(StepVerifier::create).verifyComplete();
		this.otherInstance.item(REGION, "id-3", Widget.class, origin(null), false)
			.as(StepVerifier::create)
			.expectNext(new CacheLookup<>(updated, CacheOutcome.HIT))
			.verifyComplete();
		this.otherInstance.query(REGION, QueryKind.COUNT, "all", Long.class, origin(21L), false)
			.as(StepVerifier::create)
			.expectNext(new CacheLookup<>(21L, CacheOutcome.MISS))
			.verifyComplete();
		assertThat(this.originReads).hasValue(22);

		// And the run ids the recoveries recorded.
		this.cache.stats().map(CacheStats::keys).as(StepVerifier::create).expectNext(25L).verifyComplete();
		this.cache.clear().as(StepVerifier::create).expectNext(25L).verifyComplete();
		this.cache.stats().map(CacheStats::keys).as(StepVerifier::create).expectNext(0L).verifyComplete();
	}

	@Test
	void loadsAColdItemOnceAcrossTwoInstances() {
		Widget widget = new Widget("hot", "hot", 1);
		Flux.range(0, 200)
			.flatMap((i) -> ((i % 2 == 0) ? this.cache : this.otherInstance).item(REGION, "hot", Widget.class,
					() -> Mono.delay(Duration.ofMillis(100)).then(origin(widget).get()), false), 200)
			.map(CacheLookup::value)
			.distinct()
			.as(StepVerifier::create)
			.expectNext(widget)
			.verifyComplete();
		assertThat(this.originReads).hasValue(1);
		this.cache.clear().block();
	}

	@Test
	void refusesAStaleSetOnACluster() {
		AtomicBoolean originRead = new AtomicBoolean();
		Sinks.Empty<Void> gate = Sinks.empty();
		Widget v1 = new Widget("race", "one", 1);
		Widget v2 = new Widget("race", "two", 2);
		Mono<CacheLookup<Widget>> reader = this.cache
			.item(REGION, "race", Widget.class,
					() -> Mono.fromCallable(() -> v1)
						.doOnNext((v) -> originRead.set(true))
						.delayUntil((v) -> gate.asMono()),
					false)
			.cache();
		reader.subscribe();
		await().atMost(Duration.ofSeconds(5)).untilTrue(originRead);
		this.otherInstance.written(REGION, "race", v2).block();
		gate.tryEmitEmpty();
		reader.then().block();
		this.otherInstance.item(REGION, "race", Widget.class, origin(null), false)
			.map(CacheLookup::value)
			.as(StepVerifier::create)
			.expectNext(v2)
			.verifyComplete();
		this.cache.clear().block();
	}

	private <T> java.util.function.Supplier<Mono<T>> origin(T value) {
		return () -> Mono.fromCallable(() -> {
			this.originReads.incrementAndGet();
			return value;
		});
	}

	private static LettuceConnectionFactory clusterConnectionFactory() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisClusterConfiguration(cluster.nodeAddresses()));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
