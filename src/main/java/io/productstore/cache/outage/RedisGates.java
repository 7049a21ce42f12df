package io.productstore.cache.outage;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.productstore.cache.CacheUnavailableException;
import io.productstore.cache.redis.RedisGuard;
import reactor.core.publisher.Mono;

/**
 * The guards every Redis call of the engine goes through, by who makes it. All are
 * bounded by a timeout and recorded by the circuit breaker; they differ in when a call is
 * attempted at all:
 * <ul>
 * <li>reads: only while the cache is available;</li>
 * <li>writes (invalidations): once the epoch is known and while the breaker is closed, so
 * that they also reach Redis during a recovery; while it is open or half-open they go
 * straight to the journal (the recovery replays them), so a write never waits for a Redis
 * that is still failing the breaker's trial calls;</li>
 * <li>administration (clear, key count): unless the breaker is open, since removing keys
 * is always safe;</li>
 * <li>the recovery's probes: always, with the longer recovery timeout.</li>
 * </ul>
 */
final class RedisGates {

	private final RedisGuard reads;

	private final RedisGuard writes;

	private final RedisGuard admin;

	private final RedisGuard probes;

	RedisGates(CacheCircuitBreaker breaker, BooleanSupplier available, BooleanSupplier epochKnown,
			Supplier<String> state) {
		this.reads = new Gate(breaker, available, state);
		this.writes = new Gate(breaker,
				() -> epochKnown.getAsBoolean() && breaker.state() == CircuitBreaker.State.CLOSED, state);
		this.admin = new Bounded(breaker, () -> breaker.state() != CircuitBreaker.State.OPEN, false);
		this.probes = new Bounded(breaker, () -> true, true);
	}

	RedisGuard reads() {
		return this.reads;
	}

	RedisGuard writes() {
		return this.writes;
	}

	RedisGuard admin() {
		return this.admin;
	}

	RedisGuard probes() {
		return this.probes;
	}

	/** Refuses a call without reaching Redis unless a condition holds. */
	private record Gate(CacheCircuitBreaker breaker, BooleanSupplier open,
			Supplier<String> state) implements RedisGuard {

		@Override
		public <T> Mono<T> apply(Mono<T> operation) {
			return Mono.defer(() -> permits() ? this.breaker.guard(operation) : Mono.error(CacheUnavailableException
				.refused(new IllegalStateException("the cache is not serving from Redis (" + this.state.get() + ")"))));
		}

		@Override
		public boolean permits() {
			return this.open.getAsBoolean();
		}

	}

	/** Timeout and breaker only; {@code permits} only informs callers that scan. */
	private record Bounded(CacheCircuitBreaker breaker, BooleanSupplier permitted,
			boolean recovery) implements RedisGuard {

		@Override
		public <T> Mono<T> apply(Mono<T> operation) {
			return this.recovery ? this.breaker.guardRecovery(operation) : this.breaker.guard(operation);
		}

		@Override
		public boolean permits() {
			return this.permitted.getAsBoolean();
		}

	}

}
