package io.productstore.cache.outage;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.productstore.cache.outage.RedisResponsiveness.UnresponsiveRedisException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisResponsiveness}, on virtual time: a call is failed only when
 * Redis answered nothing for a whole window while it waited, never because replies are
 * slow to come through this process.
 */
class RedisResponsivenessTests {

	private static final Duration WINDOW = Duration.ofMillis(500);

	// Between the two rounds of the event loops before a verdict: a tenth of the window.
	private static final Duration BETWEEN_ROUNDS = Duration.ofMillis(50);

	private final VirtualTimeScheduler timers = VirtualTimeScheduler.create();

	// The clock the checks read: virtual time, plus how late this process runs them.
	private final AtomicLong lateness = new AtomicLong();

	private final AtomicInteger verdicts = new AtomicInteger();

	// What the event loops find in their sockets when asked to read them once more, and
	// how long their round takes: by default nothing, at once.
	private final AtomicReference<Runnable> waitingInTheSocket = new AtomicReference<>(() -> {
	});

	private final AtomicReference<Duration> roundTakes = new AtomicReference<>(Duration.ZERO);

	private final RedisResponsiveness responsiveness = new RedisResponsiveness(WINDOW, this.timers,
			() -> this.timers.now(TimeUnit.NANOSECONDS) + this.lateness.get(), () -> Mono.fromRunnable(() -> {
				this.waitingInTheSocket.get().run();
				this.lateness.addAndGet(this.roundTakes.get().toNanos());
			}), this.verdicts::incrementAndGet);

	@AfterEach
	void dispose() {
		this.timers.dispose();
	}

	@Test
	void aCallThatWaitsAWindowWhileRedisAnswersNothingFailsAndRedisIsDeclaredUnresponsive() {
		Sinks.One<String> never = Sinks.one();
		StepVerifier.create(this.responsiveness.watch(never.asMono()))
			.then(() -> this.timers.advanceTimeBy(WINDOW.plus(BETWEEN_ROUNDS).minusMillis(1)))
			.expectNoEvent(Duration.ZERO)
			.then(() -> this.timers.advanceTimeBy(Duration.ofMillis(1)))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(UnresponsiveRedisException.class)
				.hasMessage("Redis answered nothing for 500 ms while calls waited"))
			.verify(Duration.ofSeconds(5));
		assertThat(this.verdicts).hasValue(1);
		assertThat(never.currentSubscriberCount()).as("the call was cancelled").isZero();
	}

	@Test
	void aCallQueuedBehindRepliesToOtherCallsKeepsWaitingForItsOwn() {
		Sinks.One<String> slow = Sinks.one();
		StepVerifier.create(this.responsiveness.watch(slow.asMono())).then(() -> {
			// Four windows in which other calls get their replies every 100 ms: Redis
			// answers, this call waits behind this process's own work.
			for (int i = 0; i < 20; i++) {
				this.timers.advanceTimeBy(Duration.ofMillis(100));
				this.responsiveness.watch(Mono.just("other")).subscribe();
			}
		}).expectNoEvent(Duration.ZERO).then(() -> slow.tryEmitValue("mine")).expectNext("mine").verifyComplete();
		assertThat(this.verdicts).hasValue(0);
	}

	@Test
	void silenceIsJudgedOverTheLastWindowNotSinceTheCallStarted() {
		Sinks.One<String> hung = Sinks.one();
		StepVerifier.create(this.responsiveness.watch(hung.asMono())).then(() -> {
			this.timers.advanceTimeBy(Duration.ofMillis(400));
			// A reply 400 ms in, then Redis hangs: the first check (500 ms) sees a
			// reply 100 ms old, the second (1 s) a whole silent window.
			this.responsiveness.replies(Mono.just("last reply")).subscribe();
			this.timers.advanceTimeBy(Duration.ofMillis(100));
		})
			.expectNoEvent(Duration.ZERO)
			.then(() -> this.timers.advanceTimeBy(WINDOW.plus(BETWEEN_ROUNDS)))
			.expectError(UnresponsiveRedisException.class)
			.verify(Duration.ofSeconds(5));
		assertThat(this.verdicts).hasValue(1);
	}

	@Test
	void aCheckThatRunsMoreThanHalfAWindowLatePassesNoVerdict() {
		Sinks.One<String> call = Sinks.one();
		StepVerifier.create(this.responsiveness.watch(call.asMono())).then(() -> {
			// The whole process stalled: the check runs 300 ms after it was due, and the
			// reply may be in the socket, unread.
			this.lateness.set(Duration.ofMillis(300).toNanos());
			this.timers.advanceTimeBy(WINDOW);
		})
			.expectNoEvent(Duration.ZERO)
			.then(() -> call.tryEmitValue("read after the stall"))
			.expectNext("read after the stall")
			.verifyComplete();
		assertThat(this.verdicts).hasValue(0);
	}

	@Test
	void aSilenceThatEndsWhenTheEventLoopsReadTheirSocketsPassesNoVerdict() {
		Sinks.One<String> call = Sinks.one();
		// Replies were there, unread, behind busy event loops: reading them ends the
		// silence.
		this.waitingInTheSocket.set(() -> this.responsiveness.replies(Mono.just("read late")).subscribe());
		StepVerifier.create(this.responsiveness.watch(call.asMono()))
			.then(() -> this.timers.advanceTimeBy(WINDOW))
			.expectNoEvent(Duration.ZERO)
			.then(() -> call.tryEmitValue("answered"))
			.expectNext("answered")
			.verifyComplete();
		assertThat(this.verdicts).hasValue(0);
	}

	@Test
	void repliesToCommandsTheFirstRoundLetOutOfABusyLoopPassNoVerdict() {
		Sinks.One<String> call = Sinks.one();
		// Measured on a cold JVM under a burst: commands waited, unwritten, in the queue
		// of an event loop busy with request work for a second; the round that asked
		// the loop to come round let them out, and their replies came 4-7 ms after it.
		AtomicInteger rounds = new AtomicInteger();
		this.waitingInTheSocket.set(() -> {
			if (rounds.incrementAndGet() == 1) {
				this.timers.schedule(() -> this.responsiveness.replies(Mono.just("written at last")).subscribe(), 5,
						TimeUnit.MILLISECONDS);
			}
		});
		StepVerifier.create(this.responsiveness.watch(call.asMono()))
			.then(() -> this.timers.advanceTimeBy(WINDOW.plus(BETWEEN_ROUNDS)))
			.expectNoEvent(Duration.ZERO)
			.then(() -> call.tryEmitValue("answered"))
			.expectNext("answered")
			.verifyComplete();
		assertThat(rounds).hasValue(2);
		assertThat(this.verdicts).hasValue(0);
	}

	@Test
	void aSilenceWhileTheEventLoopsAreTooBusyToComeRoundQuicklyPassesNoVerdict() {
		Sinks.One<String> call = Sinks.one();
		// The loops' round takes 60 ms, more than a tenth of the window: they are busy
		// with
		// this process's work, and the silence is theirs.
		this.roundTakes.set(Duration.ofMillis(60));
		StepVerifier.create(this.responsiveness.watch(call.asMono()))
			.then(() -> this.timers.advanceTimeBy(WINDOW))
			.expectNoEvent(Duration.ZERO)
			.then(() -> call.tryEmitValue("late, for reasons of this process's"))
			.expectNextCount(1)
			.verifyComplete();
		assertThat(this.verdicts).hasValue(0);
	}

	@Test
	void errorsFromRedisCountAsAnswersAndPassThrough() {
		StepVerifier.create(this.responsiveness.watch(Mono.error(new IllegalStateException("NOPERM"))))
			.expectErrorMessage("NOPERM")
			.verify(Duration.ofSeconds(5));
		Sinks.One<String> call = Sinks.one();
		StepVerifier.create(this.responsiveness.watch(call.asMono()))
			.then(() -> this.timers.advanceTimeBy(Duration.ofMillis(300)))
			.then(() -> this.responsiveness.watch(Mono.error(new IllegalStateException("OOM"))).subscribe((v) -> {
			}, (ex) -> {
			}))
			.then(() -> this.timers.advanceTimeBy(Duration.ofMillis(200)))
			.expectNoEvent(Duration.ZERO)
			.then(() -> call.tryEmitValue("answered"))
			.expectNext("answered")
			.verifyComplete();
		assertThat(this.verdicts).hasValue(0);
	}

}
