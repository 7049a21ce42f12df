package io.productstore.cache;

import java.util.function.Consumer;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

/**
 * How the engine survives Redis outages: the circuit breaker and timeout around every
 * Redis call, the gate that keeps reads off Redis until it is safe again, the journal of
 * missed invalidations, the global epoch and the recovery. See "Outages and recovery" in
 * {@code docs/caching.md}.
 */
public class CacheResilience {

	private final CacheResilienceProperties properties;

	private final CacheCircuitBreaker breaker;

	private final CacheAvailability availability;

	private final CacheEpoch epoch;

	private final CacheRecovery recovery;

	private final RedisGuard readGate = new Gate(true);

	private final RedisGuard writeGate = new Gate(false);

	private final RedisGuard adminGate = new RedisGuard() {

		@Override
		public <T> Mono<T> apply(Mono<T> operation) {
			return CacheResilience.this.breaker.guard(operation);
		}

		@Override
		public boolean permits() {
			return CacheResilience.this.breaker.state() != CircuitBreaker.State.OPEN;
		}

	};

	private final boolean enabled;

	private final RedisCacheStore unguarded;

	private volatile Disposable heartbeat;

	public CacheResilience(ReactiveRedisConnectionFactory connectionFactory, CacheProperties cacheProperties,
			CacheResilienceProperties properties, MeterRegistry registry,
			@Nullable CircuitBreakerRegistry breakerRegistry) {
		this.properties = properties;
		this.enabled = cacheProperties.enabled();
		this.breaker = new CacheCircuitBreaker(properties, breakerRegistry);
		this.availability = new CacheAvailability(new InvalidationJournal(properties.journalSize()));
		this.epoch = new CacheEpoch(cacheProperties.keyPrefix());
		CacheMetrics metrics = new CacheMetrics(registry);
		this.unguarded = new RedisCacheStore(connectionFactory, metrics, RedisGuard.NONE);
		RedisCacheStore probes = new RedisCacheStore(connectionFactory, metrics, new Probe(this.breaker));
		this.recovery = new CacheRecovery(this.availability, this.breaker, this.epoch, probes, properties,
				cacheProperties.ttl().item(), registry, metrics.errors);
		this.breaker.onTransition(this::breakerMoved);
		Gauge.builder("productstore.cache.available", this, (resilience) -> resilience.available() ? 1 : 0)
			.description("1 while reads are served from Redis, 0 while they bypass it")
			.register(registry);
		Gauge.builder("productstore.cache.journal.size", this, CacheResilience::journalSize)
			.description("Missed invalidations waiting for Redis to come back")
			.register(registry);
	}

	/**
	 * Whether reads are served from Redis now.
	 * @return false while the breaker is open, a recovery has not completed, or an
	 * invalidation is waiting in the journal
	 */
	public boolean available() {
		return this.availability.available();
	}

	/**
	 * The state for {@code /api/cache/stats} and health: the Resilience4j state, or
	 * {@code RECOVERING} while the breaker is closed but the recovery has not completed.
	 * @return the state name
	 */
	public String state() {
		CircuitBreaker.State state = this.breaker.state();
		return (state == CircuitBreaker.State.CLOSED && !available()) ? "RECOVERING" : state.name();
	}

	public long epoch() {
		return this.epoch.value();
	}

	public int journalSize() {
		return this.availability.journal().size();
	}

	public float failureRate() {
		return this.breaker.failureRate();
	}

	public float slowCallRate() {
		return this.breaker.slowCallRate();
	}

	/**
	 * Registers a listener for {@link CacheAvailabilityChanged} (also published as a
	 * Spring application event when the engine is a bean).
	 * @param listener called on the thread that caused the change
	 */
	public void addListener(Consumer<CacheAvailabilityChanged> listener) {
		this.availability.addListener(listener);
	}

	/**
	 * Pings Redis through the breaker and the request path's timeout (for health).
	 * @return whether Redis answered in time
	 */
	public Mono<Boolean> ping() {
		return this.breaker.guard(this.unguarded.ping()).map((pong) -> true).onErrorReturn(false);
	}

	/** Runs the first recovery and the periodic heartbeat. */
	void start() {
		if (!this.enabled) {
			return;
		}
		this.recovery.recover();
		if (this.heartbeat == null) {
			this.heartbeat = Flux.interval(this.properties.heartbeat())
				.onBackpressureDrop()
				.concatMap((tick) -> this.recovery.heartbeat(), 1)
				.subscribe();
		}
	}

	void stop() {
		Disposable running = this.heartbeat;
		if (running != null) {
			running.dispose();
			this.heartbeat = null;
		}
	}

	RedisGuard readGate() {
		return this.readGate;
	}

	RedisGuard writeGate() {
		return this.writeGate;
	}

	CacheEpoch epochHolder() {
		return this.epoch;
	}

	CacheAvailability availability() {
		return this.availability;
	}

	/**
	 * Runs {@code up} if reads may use Redis, else {@code down}; before the first
	 * recovery has run (just after startup) it waits for it, which takes a few round
	 * trips or, with Redis unreachable, one timeout.
	 */
	<T> Mono<T> whenAvailable(Supplier<Mono<T>> up, Supplier<Mono<T>> down) {
		if (available()) {
			return up.get();
		}
		if (!this.recovery.attempted()) {
			return this.recovery.recover().then(Mono.defer(() -> available() ? up.get() : down.get()));
		}
		return down.get();
	}

	/**
	 * Completes once the first recovery has run (successfully or not).
	 * @return completion
	 */
	Mono<Void> firstRecovery() {
		return this.recovery.attempted() ? Mono.empty() : this.recovery.recover();
	}

	/**
	 * Runs {@code step} once the first recovery has run (at once after that): before it,
	 * the epoch, and so the keys, are not known.
	 */
	<T> Mono<T> afterFirstRecovery(Mono<T> step) {
		return this.recovery.attempted() ? step : this.recovery.recover().then(step);
	}

	/**
	 * The gate of administrative calls (clear, key count): timeout and breaker, but
	 * allowed while reads bypass Redis, since removing keys is always safe.
	 */
	RedisGuard adminGate() {
		return this.adminGate;
	}

	/**
	 * Journals an item invalidation that could not reach Redis: the cache stops serving
	 * from Redis until it has been replayed.
	 */
	void missedItem(String region, String id, Long version) {
		this.availability.missedItem(region, id, version);
		recoverUnlessOpen();
	}

	void missedGeneration(String region) {
		this.availability.missedGeneration(region);
		recoverUnlessOpen();
	}

	private void recoverUnlessOpen() {
		if (this.breaker.state() != CircuitBreaker.State.OPEN) {
			this.recovery.recover();
		}
	}

	/** Whether a failed write step is worth retrying (the breaker lets calls through). */
	static boolean retryable(Throwable ex) {
		return ex instanceof CacheUnavailableException && !(ex.getCause() instanceof CallNotPermittedException)
				&& !(ex.getCause() instanceof GateClosedException);
	}

	private void breakerMoved(CircuitBreaker.State state) {
		if (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN) {
			this.availability.unavailable("circuit breaker " + CacheCircuitBreaker.NAME + " opened");
		}
		else if (state == CircuitBreaker.State.HALF_OPEN) {
			this.recovery.recover();
		}
	}

	/**
	 * The request path's gate. Reads need the cache available; writes (invalidations)
	 * only need the epoch to be known, so that they also reach Redis during a recovery.
	 */
	private final class Gate implements RedisGuard {

		private final boolean forReads;

		Gate(boolean forReads) {
			this.forReads = forReads;
		}

		@Override
		public <T> Mono<T> apply(Mono<T> operation) {
			return Mono.defer(() -> permits() ? CacheResilience.this.breaker.guard(operation)
					: Mono.error(new CacheUnavailableException(new GateClosedException(state()))));
		}

		@Override
		public boolean permits() {
			return this.forReads ? available() : CacheResilience.this.recovery.epochKnown();
		}

	}

	/** The recovery's calls: timeout and breaker, no gate. */
	private record Probe(CacheCircuitBreaker breaker) implements RedisGuard {

		@Override
		public <T> Mono<T> apply(Mono<T> operation) {
			return this.breaker.guardRecovery(operation);
		}

		@Override
		public boolean permits() {
			return true;
		}

	}

	/** A call refused without reaching Redis: the cache is unavailable. */
	static final class GateClosedException extends IllegalStateException {

		GateClosedException(String state) {
			super("the cache is not serving from Redis (" + state + ")");
		}

	}

}
