package io.productstore.cache.outage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.productstore.cache.CacheAvailabilityChanged;
import io.productstore.cache.CacheMetrics;
import io.productstore.cache.CacheResilienceProperties;
import io.productstore.cache.CacheUnavailableException;
import io.productstore.cache.TestCacheEngine;
import io.productstore.cache.outage.InMemoryRecoveryStore.Call;
import io.productstore.cache.redis.CacheKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CacheRecovery} and its {@link RecoverySteps}: the state machine over
 * an in-memory Redis that answers at once (or when a test lets it), with a fake ticker
 * for the length of an outage and a fixed clock for the epoch.
 */
@ExtendWith(OutputCaptureExtension.class)
class CacheRecoveryTests {

	private static final long NOW = 1_700_000_000_000L;

	private static final String WARNING = "(further failures are logged at DEBUG until it succeeds)";

	// A breaker that never half-opens by itself during a test: the tests say when.
	private final CacheResilienceProperties properties = TestCacheEngine.bind("app.cache.resilience",
			CacheResilienceProperties.class, Map.of("journal-size", "3", "breaker.wait-in-open-state", "1h"));

	private final AtomicLong nanos = new AtomicLong();

	private final CacheAvailability availability = new CacheAvailability(
			new InvalidationJournal(this.properties.journalSize()), this.nanos::get);

	private final CacheKeys namespace = new CacheKeys("test:");

	private final CacheEpoch epoch = new CacheEpoch(this.namespace,
			Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

	private final InMemoryRecoveryStore store = new InMemoryRecoveryStore();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final CacheCircuitBreaker breaker = new CacheCircuitBreaker(this.properties, null, Schedulers.parallel(),
			Ticker.systemTicker(), Mono::empty, this.registry);

	private final CacheRecovery recovery = new CacheRecovery(
			new RecoverySteps(this.availability, this.breaker, this.epoch, this.store, this.store,
					this.properties.epochBumpAfter(), Duration.ofHours(1), this.registry),
			this.availability, this.breaker, new CacheMetrics(this.registry));

	private final List<CacheAvailabilityChanged> events = new CopyOnWriteArrayList<>();

	CacheRecoveryTests() {
		// As CacheResilience wires them.
		this.breaker.onTransition(this.recovery::breakerMoved);
		this.availability.addListener(this.events::add);
	}

	@Test
	void firstRecoveryReadsTheEpochAndMakesTheCacheAvailable() {
		this.store.epoch(this.namespace.epoch(), 42L);
		assertThat(this.recovery.state()).isEqualTo(RecoveryState.NEW);
		assertThat(this.recovery.attempted()).isFalse();
		recovered();
		assertThat(this.recovery.state()).isEqualTo(RecoveryState.RECOVERED);
		assertThat(this.recovery.attempted()).isTrue();
		assertThat(this.epoch.known()).isTrue();
		assertThat(this.epoch.value()).isEqualTo(42);
		assertThat(this.breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(this.events).containsExactly(new CacheAvailabilityChanged(true, "recovered (epoch 42)"));
		assertThat(count("productstore.cache.recoveries")).isEqualTo(1);
	}

	@Test
	void firstRecoveryOfAFreshRedisNeverBumpsTheEpochHoweverLongTheCacheWasUnavailable() {
		this.nanos.addAndGet(Duration.ofMinutes(10).toNanos());
		recovered();
		assertThat(this.store.calls(Call.BUMP_EPOCH)).isZero();
		assertThat(this.epoch.value()).isZero();
	}

	@Test
	void firstRecoveryBumpsTheEpochWhenRedisRestartedSinceAnyInstanceLastRecovered() {
		// Another instance recovered against this Redis before it was restarted from its
		// append-only file, which brought back entries older than MongoDB.
		this.store.recordRunIds(this.namespace.runIds(), "run-0;").block();
		recovered();
		assertThat(this.store.calls(Call.BUMP_EPOCH)).isOne();
		assertThat(this.epoch.value()).isEqualTo(NOW);
		assertThat(this.store.recordRunIds(this.namespace.runIds(), "run-1;").block()).isEqualTo("run-1;");
	}

	@Test
	void firstRecoveryKeepsTheEpochOfARedisThatOthersSawUnchanged() {
		this.store.recordRunIds(this.namespace.runIds(), "run-1;").block();
		recovered();
		assertThat(this.store.calls(Call.BUMP_EPOCH)).isZero();
	}

	@Test
	void startsNoRecoveryOnceStoppedNotEvenWhenTheBreakerHalfOpens() {
		this.recovery.stop();
		this.recovery.recover().as(StepVerifier::create).verifyComplete();
		// What Resilience4j's timer thread does once the breaker's open state has lasted.
		this.recovery.breakerMoved(CircuitBreaker.State.HALF_OPEN);
		// Nothing ran: no step read Redis, and the state is the one before.
		assertThat(this.recovery.state()).isEqualTo(RecoveryState.NEW);
		assertThat(this.recovery.attempted()).isFalse();
		assertThat(this.store.calls(Call.RUN_IDS)).isZero();
	}

	@Test
	void aFailedFirstRecoveryStillEndsTheWaitForIt() {
		this.store.fail(Call.RUN_IDS);
		this.recovery.recover().as(StepVerifier::create).verifyComplete();
		assertThat(this.recovery.state()).isEqualTo(RecoveryState.FAILED);
		assertThat(this.recovery.attempted()).isTrue();
		assertThat(this.epoch.known()).isFalse();
		assertThat(this.availability.available()).isFalse();
		assertThat(this.breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
	}

	@Test
	void aRecoveryAfterTheFirstBumpsTheEpochWhenTheOutageLastedLongerThanEpochBumpAfter() {
		recovered();
		this.availability.unavailable("circuit breaker opened");
		this.nanos.addAndGet(this.properties.epochBumpAfter().plusSeconds(1).toNanos());
		recovered();
		assertThat(this.epoch.value()).isEqualTo(NOW);
		assertThat(count("productstore.cache.epoch.bumps")).isEqualTo(1);
	}

	@Test
	void aShorterOutageOnlyReplaysTheJournalWithTheVersionsItHolds() {
		recovered();
		this.availability.missedItem("widget", "1", 3L);
		this.availability.missedGeneration("widget");
		this.nanos.addAndGet(this.properties.epochBumpAfter().minusSeconds(1).toNanos());
		recovered();
		assertThat(this.store.calls(Call.BUMP_EPOCH)).isZero();
		assertThat(this.store.removed()).containsExactly("test:widget:{1}");
		assertThat(this.store.stored("test:widget:{1}:ver")).isEqualTo(3);
		assertThat(this.store.generationBumps()).containsExactly("test:widget:gen");
		assertThat(this.availability.journal().isEmpty()).isTrue();
	}

	@Test
	void aChangedRunIdBumpsTheEpoch() {
		recovered();
		this.availability.unavailable("circuit breaker opened");
		this.store.restart("run-2;");
		recovered();
		assertThat(this.epoch.value()).isEqualTo(NOW);
		assertThat(this.store.calls(Call.BUMP_EPOCH)).isEqualTo(1);
	}

	@Test
	void theSameRunIdDoesNotBumpTheEpoch() {
		recovered();
		this.availability.unavailable("circuit breaker opened");
		recovered();
		assertThat(this.store.calls(Call.BUMP_EPOCH)).isZero();
	}

	@Test
	void anOverflowedJournalBumpsTheEpochAndIsStillReplayedUnderIt() {
		recovered();
		for (int id = 1; id <= 4; id++) {
			this.availability.missedItem("widget", Integer.toString(id), 1L);
		}
		recovered();
		assertThat(this.epoch.value()).isEqualTo(NOW);
		assertThat(this.store.removed()).containsExactlyInAnyOrder("test:E" + NOW + ":widget:{1}",
				"test:E" + NOW + ":widget:{2}", "test:E" + NOW + ":widget:{3}");
		assertThat(this.availability.journal().overflowed()).isFalse();
	}

	@Test
	void aFailedRecoveryOpensTheBreakerAndPutsTheJournalBack() {
		recovered();
		this.availability.missedItem("widget", "1", 3L);
		this.availability.missedItem("widget", "2", null);
		this.availability.missedGeneration("widget");
		this.store.fail(Call.REMOVE_ITEM);
		this.recovery.recover().as(StepVerifier::create).verifyComplete();
		assertThat(this.recovery.state()).isEqualTo(RecoveryState.FAILED);
		assertThat(this.breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(this.availability.available()).isFalse();
		assertThat(this.availability.journal().size()).isEqualTo(3);
		assertThat(count("productstore.cache.errors")).isEqualTo(1);
		this.store.heal();
		recovered();
		assertThat(this.store.removed()).containsExactlyInAnyOrder("test:widget:{1}", "test:widget:{2}");
		assertThat(this.breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	@Test
	void aFailedEpochStepPutsTheJournalBack() {
		recovered();
		this.availability.missedItem("widget", "1", 3L);
		this.store.fail(Call.SYNC_EPOCH);
		this.recovery.recover().as(StepVerifier::create).verifyComplete();
		assertThat(this.recovery.state()).isEqualTo(RecoveryState.FAILED);
		assertThat(this.availability.journal().size()).isEqualTo(1);
		assertThat(this.store.removed()).isEmpty();
	}

	@Test
	void replaysWhatWasJournaledDuringTheReplayBeforeBecomingAvailable() {
		recovered();
		this.availability.missedItem("widget", "1", 1L);
		AtomicBoolean once = new AtomicBoolean();
		this.store.onRemove(() -> {
			if (once.compareAndSet(false, true)) {
				this.availability.missedItem("widget", "2", 1L);
			}
		});
		recovered();
		assertThat(this.store.removed()).containsExactly("test:widget:{1}", "test:widget:{2}");
	}

	@Test
	void givesUpAfterFivePassesWhenInvalidationsKeepMissingRedis() {
		recovered();
		this.availability.missedItem("widget", "0", null);
		AtomicInteger ids = new AtomicInteger();
		this.store.onRemove(() -> this.availability.missedItem("widget", "n" + ids.incrementAndGet(), null));
		this.recovery.recover().as(StepVerifier::create).verifyComplete();
		assertThat(this.store.removed()).hasSize(6);
		assertThat(this.recovery.state()).isEqualTo(RecoveryState.FAILED);
		assertThat(this.breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(this.availability.journal().drain().items())
			.containsExactly(new InvalidationJournal.Item("widget", "n6", null));
	}

	@Test
	void concurrentRecoveriesJoinOneRun() {
		Sinks.One<String> redis = this.store.holdRunIds();
		Mono<Void> first = this.recovery.recover();
		Mono<Void> second = this.recovery.recover();
		assertThat(second).isSameAs(first);
		assertThat(this.recovery.state()).isEqualTo(RecoveryState.FIRST_RECOVERY);
		assertThat(this.recovery.attempted()).isFalse();
		redis.tryEmitValue("run-1;");
		first.as(StepVerifier::create).verifyComplete();
		second.as(StepVerifier::create).verifyComplete();
		// The run ended with the cache available: the second call asks for nothing more.
		assertThat(this.store.calls(Call.RUN_IDS)).isEqualTo(1);
		assertThat(this.recovery.state()).isEqualTo(RecoveryState.RECOVERED);
	}

	@Test
	void aRecoveryAskedForAfterTheRunsLastLookAtTheJournalRunsOnceMore() {
		AtomicReference<Mono<Void>> joined = new AtomicReference<>();
		this.availability.addListener((event) -> {
			if (event.available() && joined.get() == null) {
				// A write whose invalidation missed Redis just as the run made the
				// cache available, and so called for a recovery while it still ran.
				this.availability.missedItem("widget", "1", 5L);
				joined.set(this.recovery.recover());
			}
		});
		Mono<Void> run = this.recovery.recover();
		run.as(StepVerifier::create).verifyComplete();
		assertThat(joined.get()).isSameAs(run);
		assertThat(this.store.calls(Call.RUN_IDS)).isEqualTo(2);
		assertThat(this.store.removed()).containsExactly("test:widget:{1}");
		assertThat(this.availability.available()).isTrue();
		assertThat(count("productstore.cache.recoveries")).isEqualTo(2);
	}

	@Test
	void aRecoveryAskedForDuringARunThatFailsLeavesTheNextRunToTheHalfOpen() {
		recovered();
		this.availability.unavailable("circuit breaker opened");
		Sinks.One<String> redis = this.store.holdRunIds();
		Mono<Void> run = this.recovery.recover();
		this.recovery.recover();
		this.store.fail(Call.SYNC_EPOCH);
		redis.tryEmitValue("run-1;");
		run.as(StepVerifier::create).verifyComplete();
		assertThat(this.store.calls(Call.RUN_IDS)).isEqualTo(2);
		assertThat(this.recovery.state()).isEqualTo(RecoveryState.FAILED);
	}

	@Test
	void warnsOfTheFirstFailureOfAnOutageAndLogsTheOthersAtDebug(CapturedOutput output) {
		this.store.fail(Call.RUN_IDS);
		this.recovery.recover().as(StepVerifier::create).verifyComplete();
		assertThat(this.recovery.state()).isEqualTo(RecoveryState.FAILED);
		this.store.heal();
		for (int retry = 0; retry < 2; retry++) {
			// Held, then failed: the run is seen in RETRYING before it fails.
			Sinks.One<String> redis = this.store.holdRunIds();
			Mono<Void> run = this.recovery.recover();
			assertThat(this.recovery.state()).isEqualTo(RecoveryState.RETRYING);
			assertThat(this.recovery.state().warnsOnFailure()).isFalse();
			redis.tryEmitError(new CacheUnavailableException(new IllegalStateException("still down")));
			run.as(StepVerifier::create).verifyComplete();
		}
		assertThat(output.getOut().split(WARNING, -1)).hasSize(2);
		recovered();
		this.availability.unavailable("circuit breaker opened");
		this.store.fail(Call.RUN_IDS);
		this.recovery.recover().as(StepVerifier::create).verifyComplete();
		assertThat(output.getOut().split(WARNING, -1)).hasSize(3);
		assertThat(count("productstore.cache.errors")).isEqualTo(4);
	}

	@Test
	void aMissedInvalidationStartsARecoveryUnlessTheBreakerIsOpen() {
		recovered();
		this.breaker.open();
		this.availability.missedItem("widget", "1", 1L);
		this.recovery.missed();
		assertThat(this.store.calls(Call.RUN_IDS)).isEqualTo(1);
		assertThat(this.availability.available()).isFalse();
		this.breaker.close();
		this.recovery.missed();
		assertThat(this.store.calls(Call.RUN_IDS)).isEqualTo(2);
		assertThat(this.availability.available()).isTrue();
	}

	@Test
	void theBreakerOpeningMakesTheCacheUnavailableAndItsHalfOpenStartsARecovery() {
		recovered();
		this.events.clear();
		this.breaker.open();
		assertThat(this.availability.available()).isFalse();
		assertThat(this.events)
			.containsExactly(new CacheAvailabilityChanged(false, "circuit breaker redis-cache opened"));
		this.recovery.breakerMoved(CircuitBreaker.State.HALF_OPEN);
		assertThat(this.availability.available()).isTrue();
		assertThat(this.breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	@Test
	void theHeartbeatRecoversAnUnavailableCacheUnlessTheBreakerIsOpenOrARunIsRunning() {
		this.recovery.heartbeat().as(StepVerifier::create).verifyComplete();
		assertThat(this.availability.available()).isTrue();
		this.breaker.open();
		this.recovery.heartbeat().as(StepVerifier::create).verifyComplete();
		assertThat(this.store.calls(Call.RUN_IDS)).isEqualTo(1);
		this.breaker.close();
		Sinks.One<String> redis = this.store.holdRunIds();
		Mono<Void> run = this.recovery.recover();
		this.recovery.heartbeat().as(StepVerifier::create).verifyComplete();
		redis.tryEmitValue("run-1;");
		run.as(StepVerifier::create).verifyComplete();
		assertThat(this.store.calls(Call.RUN_IDS)).isEqualTo(2);
		assertThat(this.availability.available()).isTrue();
	}

	@Test
	void theHeartbeatSeesARestartedRedisAndRecoversWithABump() {
		recovered();
		this.events.clear();
		this.store.restart("run-2;");
		this.recovery.heartbeat().as(StepVerifier::create).verifyComplete();
		assertThat(this.events).containsExactly(
				new CacheAvailabilityChanged(false, "Redis was restarted or replaced (run_id changed)"),
				new CacheAvailabilityChanged(true, "recovered (epoch " + NOW + ")"));
		assertThat(this.epoch.value()).isEqualTo(NOW);
	}

	@Test
	void theHeartbeatPicksUpAnEpochBumpedByAnotherInstance() {
		recovered();
		this.events.clear();
		this.store.epoch(this.namespace.epoch(), 99L);
		this.recovery.heartbeat().as(StepVerifier::create).verifyComplete();
		assertThat(this.epoch.value()).isEqualTo(99);
		assertThat(this.events).containsExactly(new CacheAvailabilityChanged(true, "epoch 99 set by another instance"));
		assertThat(this.recovery.state()).isEqualTo(RecoveryState.RECOVERED);
		assertThat(count("productstore.cache.recoveries")).isEqualTo(1);
	}

	@Test
	void theHeartbeatLeavesARedisThatDoesNotAnswerToTheBreaker() {
		recovered();
		this.store.fail(Call.RUN_IDS);
		this.recovery.heartbeat().as(StepVerifier::create).verifyComplete();
		assertThat(this.availability.available()).isTrue();
		assertThat(this.recovery.state()).isEqualTo(RecoveryState.RECOVERED);
	}

	private void recovered() {
		this.recovery.recover().as(StepVerifier::create).verifyComplete();
		assertThat(this.availability.available()).isTrue();
		assertThat(this.recovery.state()).isEqualTo(RecoveryState.RECOVERED);
	}

	private double count(String counter) {
		return this.registry.get(counter).counter().count();
	}

}
