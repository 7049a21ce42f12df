package io.productstore.cache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.productstore.cache.CacheTestSupport.Widget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static io.productstore.cache.CacheTestSupport.REGION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for writes across an epoch change (issue 12, defect 1): instance B bumps the
 * epoch and caches under the new one while instance A, whose heartbeat has not noticed
 * yet (these engines run none), still knows the old one. A's writes must still reach what
 * B serves.
 */
class EpochChangeIntegrationTests {

	private LettuceConnectionFactory factory;

	private TestCacheEngine a;

	private TestCacheEngine b;

	@BeforeEach
	void startInstances() {
		this.factory = CacheTestSupport.connectionFactory();
		CacheProperties properties = CacheTestSupport.properties(CacheTestSupport.uniquePrefix("epoch-change"),
				Duration.ofSeconds(5), Duration.ofSeconds(2));
		this.a = CacheTestSupport.engine(this.factory, properties);
		this.b = CacheTestSupport.engine(this.factory, properties);
		long before = this.a.resilience().epoch();
		// B loses track of its invalidations (as after a Redis restart) and recovers
		// with a new epoch; A goes on with the old one.
		this.b.resilience().missedUnknown("the test bumps the epoch");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.b.resilience().available() && this.b.resilience().epoch() > before);
		assertThat(this.a.resilience().epoch()).isEqualTo(before);
	}

	@AfterEach
	void stopInstances() {
		this.b.clear().block();
		this.factory.destroy();
	}

	@Test
	void aWriteOfAnInstanceThatStillKnowsTheOldEpochReachesTheEntryCachedUnderTheNewOne() {
		Widget v1 = new Widget("e1", "version one", 1);
		Widget v2 = new Widget("e1", "version two", 2);
		read(this.b, "e1", v1).expectNext(new CacheLookup<>(v1, CacheOutcome.MISS)).verifyComplete();
		read(this.b, "e1", v1).expectNext(new CacheLookup<>(v1, CacheOutcome.HIT)).verifyComplete();

		this.a.written(REGION, "e1", v2, 2).as(StepVerifier::create).verifyComplete();

		assertThat(this.a.resilience().epoch()).as("A picked up B's epoch").isEqualTo(this.b.resilience().epoch());
		this.b.near().invalidateAll();
		read(this.b, "e1", v2).assertNext((lookup) -> assertThat(lookup.value()).isEqualTo(v2)).verifyComplete();
		read(this.a, "e1", v2).assertNext((lookup) -> assertThat(lookup.value()).isEqualTo(v2)).verifyComplete();
	}

	@Test
	void aWriteOfAnInstanceThatStillKnowsTheOldEpochBumpsTheGenerationOfTheNewOne() {
		AtomicInteger counted = new AtomicInteger(1);
		count(this.b, counted).expectNext(new CacheLookup<>(1L, CacheOutcome.MISS)).verifyComplete();
		count(this.b, counted).expectNext(new CacheLookup<>(1L, CacheOutcome.HIT)).verifyComplete();

		counted.set(2);
		this.a.written(REGION, "e2", new Widget("e2", "new", 1), 1).as(StepVerifier::create).verifyComplete();

		this.b.near().invalidateAll();
		count(this.b, counted).expectNext(new CacheLookup<>(2L, CacheOutcome.MISS)).verifyComplete();
	}

	private static StepVerifier.FirstStep<CacheLookup<Widget>> read(TestCacheEngine instance, String id,
			Widget origin) {
		return instance.item(REGION, id, Widget.class, () -> Mono.just(origin), false).as(StepVerifier::create);
	}

	private static StepVerifier.FirstStep<CacheLookup<Long>> count(TestCacheEngine instance, AtomicInteger origin) {
		return instance
			.query(REGION, QueryKind.COUNT, "all", Long.class, () -> Mono.fromCallable(() -> (long) origin.get()),
					false)
			.as(StepVerifier::create);
	}

}
