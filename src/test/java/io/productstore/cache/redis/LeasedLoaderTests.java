package io.productstore.cache.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.productstore.cache.CacheLookup;
import io.productstore.cache.CacheMetrics;
import io.productstore.cache.CacheOutcome;
import io.productstore.cache.CacheProperties;
import io.productstore.cache.TestCacheEngine;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LeasedLoader}, against {@link InMemoryEntryLeases} and a fake ticker.
 */
class LeasedLoaderTests {

	private static final CacheKeys.EntryKeys KEYS = new CacheKeys.EntryKeys("p:w:{1}", "p:w:{1}:lock");

	private final CacheProperties properties = TestCacheEngine.cacheProperties(Map.of());

	private final Duration ttl = this.properties.ttl().item();

	private final Duration negativeTtl = this.properties.ttl().negative();

	private final InMemoryEntryLeases store = new InMemoryEntryLeases();

	private final CacheCodec codec = new CacheCodec(JsonMapper.builder().build(), 1024);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final AtomicLong nanos = new AtomicLong();

	private final LeasedLoader loader = new LeasedLoader(this.store, this.codec, new CacheMetrics(this.registry),
			this.properties.lock(), this.nanos::get);

	private final AtomicInteger originReads = new AtomicInteger();

	@Test
	void theLockHolderLoadsAndStoresUnderItsLease() {
		load(origin(new Widget("1", "fresh"))).as(StepVerifier::create)
			.expectNext(new CacheLookup<>(new Widget("1", "fresh"), CacheOutcome.MISS))
			.verifyComplete();
		assertThat(this.originReads).hasValue(1);
		assertThat(this.codec.decode(this.store.entry(KEYS), Widget.class)).isEqualTo(new Widget("1", "fresh"));
		assertThat(this.store.ttl(KEYS)).isEqualTo(this.ttl);
		assertThat(this.store.lock(KEYS)).as("the store deleted the lock").isNull();
	}

	@Test
	void anEntryThatAppearedSinceTheFirstLookIsReturnedWithoutReadingTheOrigin() {
		this.store.stored(KEYS, this.codec.encode(new Widget("1", "stored")));
		load(origin(new Widget("1", "fresh"))).as(StepVerifier::create)
			.expectNext(new CacheLookup<>(new Widget("1", "stored"), CacheOutcome.MISS))
			.verifyComplete();
		assertThat(this.originReads).hasValue(0);
	}

	@Test
	void aBusyLockMakesTheCallerPollWithBackoffAndReturnTheHoldersValue() {
		this.store.lockedBy(KEYS, "holder");
		StepVerifier.withVirtualTime(() -> load(origin(new Widget("1", "mine"))))
			.expectSubscription()
			.thenAwait(Duration.ofMillis(175))
			.then(() -> this.store.stored(KEYS, this.codec.encode(new Widget("1", "holder's"))))
			.expectNoEvent(Duration.ofMillis(49))
			.thenAwait(Duration.ofMillis(1))
			.expectNext(new CacheLookup<>(new Widget("1", "holder's"), CacheOutcome.MISS))
			.verifyComplete();
		// Polls 5 ms apart, doubled each time up to lock.poll-max (50 ms).
		assertThat(this.store.acquiredAtMillis()).containsExactly(0L, 5L, 15L, 35L, 75L, 125L, 175L, 225L);
		assertThat(this.originReads).hasValue(0);
		assertThat(counter("lock.waits")).isEqualTo(1);
	}

	@Test
	void pastLockMaxWaitTheCallerReadsTheOriginItselfAndStoresNothing() {
		this.store.lockedBy(KEYS, "holder");
		StepVerifier.withVirtualTime(() -> load(origin(new Widget("1", "mine"))))
			.expectSubscription()
			.then(() -> this.nanos.addAndGet(this.properties.lock().maxWait().toNanos()))
			.thenAwait(Duration.ofMillis(5))
			.then(() -> assertThat(this.originReads).as("still waiting at exactly max-wait").hasValue(0))
			.then(() -> this.nanos.incrementAndGet())
			.thenAwait(Duration.ofMillis(10))
			// Not in Redis: it must not fill a near cache either.
			.expectNext(new CacheLookup<>(new Widget("1", "mine"), CacheOutcome.MISS, false))
			.verifyComplete();
		assertThat(this.originReads).hasValue(1);
		assertThat(this.store.entry(KEYS)).as("no lease, nothing stored").isNull();
		assertThat(this.store.lock(KEYS)).isEqualTo("holder");
		assertThat(counter("lock.timeouts")).isEqualTo(1);
	}

	@Test
	void aStoreRefusedBecauseAWriteTookTheLeaseIsCountedAndStillReturnsTheLoadedValue() {
		byte[] written = this.codec.encode(new Widget("1", "written"));
		Supplier<Mono<Widget>> racingWrite = () -> {
			this.originReads.incrementAndGet();
			// A write commits after this origin read and reaches Redis before the store.
			this.store.written(KEYS, written);
			return Mono.just(new Widget("1", "read before the write"));
		};
		load(racingWrite).as(StepVerifier::create)
			// Refused by Redis: the caller gets it, no near cache keeps it.
			.expectNext(new CacheLookup<>(new Widget("1", "read before the write"), CacheOutcome.MISS, false))
			.verifyComplete();
		assertThat(this.store.entry(KEYS)).isSameAs(written);
		assertThat(counter("stale.writes.rejected")).isEqualTo(1);
	}

	@Test
	void anOriginErrorReleasesTheLock() {
		load(() -> Mono.error(new IllegalStateException("origin down"))).as(StepVerifier::create)
			.expectErrorMessage("origin down")
			.verify();
		assertThat(this.store.releases()).isOne();
		assertThat(this.store.lock(KEYS)).isNull();
		assertThat(this.store.entry(KEYS)).isNull();
	}

	@Test
	void aNegativeResultIsStoredWithTheNegativeTtl() {
		load(() -> Mono.empty()).as(StepVerifier::create)
			.expectNext(new CacheLookup<>(null, CacheOutcome.MISS))
			.verifyComplete();
		assertThat(this.store.entry(KEYS)).containsExactly(CacheCodec.NEGATIVE);
		assertThat(this.store.ttl(KEYS)).isEqualTo(this.negativeTtl);
	}

	@Test
	void aNoCacheRefreshTakesTheLeaseFromAHolderAndStoresUnderIt() {
		this.store.lockedBy(KEYS, "holder");
		this.loader.refresh(KEYS, Widget.class, origin(new Widget("1", "fresh")), this.ttl, this.negativeTtl)
			.as(StepVerifier::create)
			.expectNext(new CacheLookup<>(new Widget("1", "fresh"), CacheOutcome.BYPASS))
			.verifyComplete();
		assertThat(this.codec.decode(this.store.entry(KEYS), Widget.class)).isEqualTo(new Widget("1", "fresh"));
		assertThat(this.store.lock(KEYS)).isNull();
	}

	@Test
	void anEarlyRefreshCompletesEmptyWhileAnotherCallerHoldsTheLock() {
		this.store.lockedBy(KEYS, "holder");
		this.loader.refreshEarly(KEYS, Widget.class, origin(new Widget("1", "fresh")), this.ttl, this.negativeTtl)
			.as(StepVerifier::create)
			.verifyComplete();
		assertThat(this.originReads).hasValue(0);
		assertThat(this.store.lock(KEYS)).isEqualTo("holder");
	}

	@Test
	void storesTheLoadTimeMeasuredByTheTickerWithTheEntry() {
		Supplier<Mono<Widget>> slowOrigin = () -> Mono.fromSupplier(() -> {
			this.nanos.addAndGet(Duration.ofMillis(42).toNanos());
			return new Widget("1", "slow");
		});
		load(slowOrigin).as(StepVerifier::create).expectNextCount(1).verifyComplete();
		assertThat(CacheCodec.envelope(this.store.entry(KEYS)).loadMillis()).isEqualTo(42);
	}

	private Mono<CacheLookup<Widget>> load(Supplier<Mono<Widget>> origin) {
		return this.loader.load(KEYS, Widget.class, origin, this.ttl, this.negativeTtl);
	}

	private Supplier<Mono<Widget>> origin(Widget value) {
		return () -> {
			this.originReads.incrementAndGet();
			return Mono.just(value);
		};
	}

	private double counter(String name) {
		return this.registry.get("productstore.cache." + name).counter().count();
	}

	record Widget(String id, String name) {

	}

}
