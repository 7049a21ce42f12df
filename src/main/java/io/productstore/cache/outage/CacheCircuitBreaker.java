package io.productstore.cache.outage;

import java.time.Duration;
import java.util.function.Consumer;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.productstore.cache.CacheResilienceProperties;
import io.productstore.cache.CacheUnavailableException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The Resilience4j circuit breaker {@code redis-cache} around every Redis call of the
 * engine, each call also bounded by {@code app.cache.resilience.timeout}; failures and
 * timeouts come out as {@link CacheUnavailableException}.
 */
final class CacheCircuitBreaker {

	static final String NAME = "redis-cache";

	private final CircuitBreaker breaker;

	private final Duration timeout;

	private final Duration recoveryTimeout;

	CacheCircuitBreaker(CacheResilienceProperties properties, @Nullable CircuitBreakerRegistry registry) {
		CircuitBreakerConfig config = config(properties.breaker());
		// Registered in the Boot module's registry when there is one: that gives the
		// resilience4j_circuitbreaker_* meters and the actuator endpoints.
		this.breaker = (registry != null) ? registry.circuitBreaker(NAME, config) : CircuitBreaker.of(NAME, config);
		this.timeout = properties.timeout();
		this.recoveryTimeout = properties.recoveryTimeout();
	}

	/**
	 * Bounds a Redis call by the timeout and records its outcome in the breaker; refused
	 * at once (no call made) while the breaker is open.
	 */
	<T> Mono<T> guard(Mono<T> operation) {
		return guard(operation, this.timeout);
	}

	/** Like {@link #guard(Mono)} with the longer bound of the recovery's calls. */
	<T> Mono<T> guardRecovery(Mono<T> operation) {
		return guard(operation, this.recoveryTimeout);
	}

	private <T> Mono<T> guard(Mono<T> operation, Duration timeout) {
		return operation.timeout(timeout)
			.transformDeferred(CircuitBreakerOperator.of(this.breaker))
			.onErrorMap((ex) -> !(ex instanceof CacheUnavailableException), CacheUnavailableException::new);
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
