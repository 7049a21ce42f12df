package io.productstore.cache.redis;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.productstore.cache.CacheMetrics;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InFlightLoads}.
 */
class InFlightLoadsTests {

	private final InFlightLoads inFlight = new InFlightLoads(new CacheMetrics(new SimpleMeterRegistry()));

	private final AtomicInteger loads = new AtomicInteger();

	@Test
	void concurrentJoinsShareOneLoad() {
		Sinks.One<String> origin = Sinks.one();
		Supplier<Mono<String>> load = counted(origin.asMono());
		Mono.zip(this.inFlight.join("k", load), this.inFlight.join("k", load), this.inFlight.join("k", load))
			.as(StepVerifier::create)
			.then(() -> {
				assertThat(this.loads).hasValue(1);
				assertThat(this.inFlight.size()).isOne();
				origin.tryEmitValue("v");
			})
			.assertNext((values) -> assertThat(values.toList()).containsExactly("v", "v", "v"))
			.verifyComplete();
		assertThat(this.loads).hasValue(1);
	}

	@Test
	void joinsOfDifferentKeysLoadEachKey() {
		Mono.zip(this.inFlight.join("a", counted(Mono.just("1"))), this.inFlight.join("b", counted(Mono.just("2"))))
			.as(StepVerifier::create)
			.assertNext((values) -> assertThat(values.toList()).containsExactly("1", "2"))
			.verifyComplete();
		assertThat(this.loads).hasValue(2);
	}

	@Test
	void forgetsACompletedLoadSoTheNextCallLoadsAgain() {
		Supplier<Mono<Integer>> load = () -> Mono.fromSupplier(this.loads::incrementAndGet);
		this.inFlight.join("k", load).as(StepVerifier::create).expectNext(1).verifyComplete();
		assertThat(this.inFlight.size()).isZero();
		this.inFlight.join("k", load).as(StepVerifier::create).expectNext(2).verifyComplete();
	}

	@Test
	void forgetMakesLaterCallersStartANewLoadWhileTheRunningOneStillCompletes() {
		Sinks.One<String> old = Sinks.one();
		Sinks.One<String> fresh = Sinks.one();
		AtomicReference<String> afterForget = new AtomicReference<>();
		this.inFlight.join("k", counted(old.asMono()))
			.as(StepVerifier::create)
			.then(() -> this.inFlight.forget("k"))
			.then(() -> this.inFlight.join("k", counted(fresh.asMono())).subscribe(afterForget::set))
			.then(() -> old.tryEmitValue("old"))
			.expectNext("old")
			.verifyComplete();
		assertThat(this.loads).hasValue(2);
		assertThat(afterForget).hasNullValue();
		// The old load's end must not drop the new one: a caller now joins the new load.
		assertThat(this.inFlight.size()).isOne();
		this.inFlight.join("k", counted(Mono.just("never loaded")))
			.as(StepVerifier::create)
			.then(() -> fresh.tryEmitValue("new"))
			.expectNext("new")
			.verifyComplete();
		assertThat(afterForget).hasValue("new");
		assertThat(this.loads).hasValue(2);
	}

	@Test
	void sharesAnErrorAndThenForgetsIt() {
		Sinks.One<String> origin = Sinks.one();
		Supplier<Mono<String>> load = counted(origin.asMono());
		Mono.zip(this.inFlight.join("k", load).onErrorReturn("failed"),
				this.inFlight.join("k", load).onErrorReturn("failed"))
			.as(StepVerifier::create)
			.then(() -> origin.tryEmitError(new IllegalStateException("origin down")))
			.assertNext((values) -> assertThat(values.toList()).containsExactly("failed", "failed"))
			.verifyComplete();
		assertThat(this.loads).hasValue(1);
		assertThat(this.inFlight.size()).isZero();
		this.inFlight.join("k", counted(Mono.just("v"))).as(StepVerifier::create).expectNext("v").verifyComplete();
		assertThat(this.loads).hasValue(2);
	}

	@Test
	void aCancelledSubscriberDoesNotCancelTheLoadForTheOthers() {
		Sinks.One<String> origin = Sinks.one();
		AtomicBoolean cancelled = new AtomicBoolean();
		Supplier<Mono<String>> load = counted(origin.asMono().doOnCancel(() -> cancelled.set(true)));
		Disposable leaving = this.inFlight.join("k", load).subscribe();
		this.inFlight.join("k", load)
			.as(StepVerifier::create)
			.then(leaving::dispose)
			.then(() -> origin.tryEmitValue("v"))
			.expectNext("v")
			.verifyComplete();
		assertThat(this.loads).hasValue(1);
		assertThat(cancelled).isFalse();
	}

	@Test
	void aLoadWhoseOnlySubscriberCancelledKeepsRunningForTheNextCaller() {
		// Mono.cache() does not cancel its source when its subscribers leave: the load
		// stays in flight (and shared) until the origin answers.
		Sinks.One<String> origin = Sinks.one();
		AtomicBoolean cancelled = new AtomicBoolean();
		Supplier<Mono<String>> load = counted(origin.asMono().doOnCancel(() -> cancelled.set(true)));
		this.inFlight.join("k", load).subscribe().dispose();
		assertThat(cancelled).isFalse();
		assertThat(this.inFlight.size()).isOne();
		this.inFlight.join("k", load)
			.as(StepVerifier::create)
			.then(() -> origin.tryEmitValue("v"))
			.expectNext("v")
			.verifyComplete();
		assertThat(this.loads).hasValue(1);
		assertThat(this.inFlight.size()).isZero();
	}

	private <T> Supplier<Mono<T>> counted(Mono<T> load) {
		return () -> {
			this.loads.incrementAndGet();
			return load;
		};
	}

}
