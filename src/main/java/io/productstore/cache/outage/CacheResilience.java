package io.productstore.cache.outage;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.productstore.cache.CacheAvailabilityChanged;
import io.productstore.cache.CacheMetrics;
import io.productstore.cache.CacheProperties;
import io.productstore.cache.CacheResilienceProperties;
import io.productstore.cache.redis.CacheKeys;
import io.productstore.cache.redis.MissedInvalidations;
import io.productstore.cache.redis.RedisCacheStore;
import io.productstore.cache.redis.RedisGuard;
import io.productstore.redis.LettuceEventLoops;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

/**
 * How the engine survives Redis outages, as the rest of the engine sees it: whether reads
 * may use Redis now, the guards of every Redis call, the keys of the current epoch, and
 * the journal that missed invalidations go to. Composes the circuit breaker, the
 * availability, the journal, the epoch and the recovery of this package. See "Outages and
 * recovery" in {@code docs/caching.md}.
 */
public final class CacheResilience implements MissedInvalidations, DisposableBean {

	private final CacheCircuitBreaker breaker;

	private final CacheAvailability availability;

	private final CacheEpoch epoch;

	private final CacheRecovery recovery;

	private final RecoverySteps steps;

	private final RedisGates gates;

	private final RedisCacheStore unguarded;

	public CacheResilience(ReactiveRedisConnectionFactory connectionFactory, CacheProperties cacheProperties,
			CacheResilienceProperties properties, CacheMetrics metrics, MeterRegistry registry,
			@Nullable CircuitBreakerRegistry breakerRegistry, Clock clock, Ticker ticker) {
		this.breaker = new CacheCircuitBreaker(properties, breakerRegistry, RedisResponsiveness.TIMERS, ticker,
				new LettuceEventLoops(connectionFactory)::roundTrip, registry);
		this.availability = new CacheAvailability(new InvalidationJournal(properties.journalSize()), ticker);
		this.epoch = new CacheEpoch(new CacheKeys(cacheProperties.keyPrefix()), clock);
		this.gates = new RedisGates(this.breaker, this::available, this.epoch::known, this::state);
		RecoveryStore probes = new RedisRecoveryStore(
				new RedisCacheStore(connectionFactory, metrics, this.gates.probes()));
		RecoveryStore checks = new RedisRecoveryStore(
				new RedisCacheStore(connectionFactory, metrics, this.gates.writes()));
		this.steps = new RecoverySteps(this.availability, this.breaker, this.epoch, probes, checks,
				properties.epochBumpAfter(), cacheProperties.ttl().item(), registry);
		this.recovery = new CacheRecovery(this.steps, this.availability, this.breaker, metrics);
		this.unguarded = new RedisCacheStore(connectionFactory, metrics, RedisGuard.NONE);
		this.breaker.onTransition(this.recovery::breakerMoved);
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
	 * Registers a listener for {@link CacheAvailabilityChanged}.
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

	/** The guard of the request path's reads: refused unless the cache is available. */
	public RedisGuard readGuard() {
		return this.gates.reads();
	}

	/** The guard of invalidations: refused until the epoch is known. */
	public RedisGuard writeGuard() {
		return this.gates.writes();
	}

	/** The guard of administrative calls: allowed while reads bypass Redis. */
	public RedisGuard adminGuard() {
		return this.gates.admin();
	}

	/** The keys of the current epoch. */
	public CacheKeys keys() {
		return this.epoch.keys();
	}

	/**
	 * Runs {@code up} if reads may use Redis, else {@code down}; before the first
	 * recovery has run (just after startup) it waits for it, which takes a few round
	 * trips or, with Redis unreachable, one timeout.
	 */
	public <T> Mono<T> whenAvailable(Supplier<Mono<T>> up, Supplier<Mono<T>> down) {
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
	public Mono<Void> firstRecovery() {
		return this.recovery.attempted() ? Mono.empty() : this.recovery.recover();
	}

	/**
	 * Runs {@code step} once the first recovery has run (at once after that): before it,
	 * the epoch, and so the keys, are not known.
	 */
	public <T> Mono<T> afterFirstRecovery(Mono<T> step) {
		return this.recovery.attempted() ? step : this.recovery.recover().then(step);
	}

	/**
	 * Runs an invalidation against the keys of the current epoch, then reads the epoch
	 * back from Redis and, if another instance bumped it meanwhile, runs it again against
	 * the new keys. Without the read back, an instance that has not yet noticed a bump
	 * (its heartbeat would, within a second) invalidates keys nobody reads any more, and
	 * a value cached under the new epoch before its write survives it for the entry's
	 * TTL. A bump after the read back is harmless: every entry of the newer epoch is
	 * loaded after this write. If the epoch cannot be read, {@code journal} runs (the
	 * recovery replays under whatever epoch is current then).
	 * @param <T> what the steps emit
	 * @param steps the Redis steps, given the keys of an epoch; never an error
	 * @param journal journals what the steps invalidate
	 * @return what the last run of the steps emitted; never an error
	 */
	public <T> Mono<T> underCurrentEpoch(Function<CacheKeys, Mono<T>> steps, Runnable journal) {
		return underCurrentEpoch(steps, journal, 0);
	}

	/**
	 * Reads the epoch back from Redis (see {@link #underCurrentEpoch}); one bumped by
	 * another instance is picked up and announced.
	 * @return whether it changed
	 */
	public Mono<Boolean> epochMoved() {
		return Mono.defer(this.steps::syncEpoch);
	}

	private <T> Mono<T> underCurrentEpoch(Function<CacheKeys, Mono<T>> steps, Runnable journal, int bumps) {
		return Mono.defer(() -> steps.apply(keys()))
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((result) -> epochMoved().onErrorResume((ex) -> Mono.fromRunnable(journal).thenReturn(false))
				.flatMap((moved) -> {
					if (!moved) {
						return Mono.justOrEmpty(result);
					}
					// Another bump between two attempts: Redis is being restarted over
					// and
					// over; the journal's replay catches up once it stays up.
					return (bumps < 2) ? underCurrentEpoch(steps, journal, bumps + 1)
							: Mono.fromRunnable(journal).then(Mono.justOrEmpty(result));
				}));
	}

	/**
	 * Journals an item invalidation that could not reach Redis: the cache stops serving
	 * from Redis until it has been replayed.
	 */
	@Override
	public void missedItem(String region, String id, Long version) {
		this.availability.missedItem(region, id, version);
		this.recovery.missed();
	}

	@Override
	public void missedGeneration(String region) {
		this.availability.missedGeneration(region);
		this.recovery.missed();
	}

	/**
	 * Records that invalidations were missed without knowing which (a change stream that
	 * cannot resume where it stopped): the cache stops serving from Redis at once, and
	 * the recovery bumps the global epoch before it serves again, as after an overflowed
	 * journal.
	 * @param reason why, for the log
	 */
	public void missedUnknown(String reason) {
		this.availability.missedUnknown(reason);
		this.recovery.missed();
	}

	/** Runs the first recovery. */
	void start() {
		this.recovery.recover();
	}

	/** One periodic check (see {@link CacheRecovery#heartbeat()}). */
	Mono<Void> heartbeat() {
		return this.recovery.heartbeat();
	}

	/**
	 * Starts no recovery any more: the context is closing, and the Redis connections with
	 * it (before, a breaker that half-opened after the close logged a failed recovery).
	 */
	@Override
	public void destroy() {
		this.recovery.stop();
	}

}
