package io.productstore.cache.outage;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.productstore.cache.CacheResilienceProperties;
import io.productstore.cache.CacheUnavailableException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The Resilience4j circuit breaker {@code redis-cache} around every Redis call of the
 * engine, each call also bounded by {@code app.cache.resilience.timeout} and watched by
 * {@link RedisResponsiveness}, which opens the breaker at once when Redis answers nothing
 * for {@code app.cache.resilience.unresponsive-after}; failures and timeouts come out as
 * {@link CacheUnavailableException}.
 */
final class CacheCircuitBreaker {

	static final String NAME = "redis-cache";

	private static final Log logger = LogFactory.getLog(CacheCircuitBreaker.class);

	private final CircuitBreaker breaker;

	private final RedisResponsiveness responsiveness;

	private final Counter unresponsive;

	private final Duration timeout;

	private final Duration recoveryTimeout;

	CacheCircuitBreaker(CacheResilienceProperties properties, @Nullable CircuitBreakerRegistry registry,
			Scheduler timers, Ticker clock, Supplier<Mono<Void>> roundTrip, MeterRegistry meters) {
		CircuitBreakerConfig config = config(properties.breaker());
		// Registered in the Boot module's registry when there is one: that gives the
		// resilience4j_circuitbreaker_* meters and the actuator endpoints.
		this.breaker = (registry != null) ? registry.circuitBreaker(NAME, config) : CircuitBreaker.of(NAME, config);
		this.timeout = properties.timeout();
		this.recoveryTimeout = properties.recoveryTimeout();
		this.responsiveness = new RedisResponsiveness(properties.unresponsiveAfter(), timers, clock, roundTrip,
				this::unresponsive);
		this.unresponsive = Counter.builder("productstore.cache.redis.unresponsive")
			.description("Times Redis answered nothing while calls waited, which opened the circuit breaker")
			.register(meters);
	}

	/**
	 * Bounds a Redis call by the timeout and by Redis's silence, and records its outcome
	 * in the breaker; refused at once (no call made) while the breaker is open.
	 */
	<T> Mono<T> guard(Mono<T> operation) {
		return guard(this.responsiveness.watch(operation), this.timeout);
	}

	/**
	 * Like {@link #guard(Mono)} with the longer bound of the recovery's calls and no
	 * verdict on silence: a recovery may have to wait for a new connection, before which
	 * nothing answers. Their replies still count as Redis answering.
	 */
	<T> Mono<T> guardRecovery(Mono<T> operation) {
		return guard(this.responsiveness.replies(operation), this.recoveryTimeout);
	}

	private <T> Mono<T> guard(Mono<T> operation, Duration timeout) {
		return operation.timeout(timeout)
			.transformDeferred(CircuitBreakerOperator.of(this.breaker))
			.onErrorMap((ex) -> !(ex instanceof CacheUnavailableException), CacheUnavailableException::new);
	}

	// A verdict of RedisResponsiveness: every call waiting then is failed by its own
	// check
	// within one window; new calls are refused from now on.
	private void unresponsive() {
		this.unresponsive.increment();
		CircuitBreaker.State state = state();
		if (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN) {
			return;
		}
		if (state == CircuitBreaker.State.CLOSED) {
			logger.warn("Redis answered nothing for " + this.responsiveness.window().toMillis()
					+ " ms while calls waited: opening circuit breaker " + NAME);
		}
		this.breaker.transitionToOpenState();
	}

	CircuitBreaker.State state() {
		return this.breaker.getState();
	}

	float failureRate() {
		return this.breaker.getMetrics().getFailureRate();
	}

	float slowCallRate() {
		return this.breaker.getMetrics().getSlowCallRate();
	}

	/** Opens the breaker (a recovery failed); no-op if it is open already. */
	void open() {
		if (state() != CircuitBreaker.State.OPEN && state() != CircuitBreaker.State.FORCED_OPEN) {
			this.breaker.transitionToOpenState();
		}
	}

	/** Closes the breaker (a recovery succeeded); no-op if it is closed already. */
	void close() {
		if (state() != CircuitBreaker.State.CLOSED) {
			this.breaker.transitionToClosedState();
		}
	}

	void onTransition(Consumer<CircuitBreaker.State> listener) {
		this.breaker.getEventPublisher()
			.onStateTransition((event) -> listener.accept(event.getStateTransition().getToState()));
	}

	static CircuitBreakerConfig config(CacheResilienceProperties.Breaker breaker) {
		return CircuitBreakerConfig.custom()
			.slidingWindowType(SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(breaker.slidingWindowSize())
			.minimumNumberOfCalls(breaker.minimumNumberOfCalls())
			.failureRateThreshold(breaker.failureRateThreshold())
			.slowCallDurationThreshold(breaker.slowCallDurationThreshold())
			.slowCallRateThreshold(breaker.slowCallRateThreshold())
			.waitDurationInOpenState(breaker.waitInOpenState())
			.permittedNumberOfCallsInHalfOpenState(breaker.permittedCallsInHalfOpenState())
			.automaticTransitionFromOpenToHalfOpenEnabled(true)
			.build();
	}

}
