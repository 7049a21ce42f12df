package io.productstore.cache.outage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.productstore.cache.CacheAvailabilityChanged;
import io.productstore.cache.CacheMetrics;
import io.productstore.cache.CacheResilienceProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Makes Redis safe to read from again, before the engine does: checks whether Redis was
 * restarted (its {@code run_id}), reads or bumps the global epoch, replays the journal of
 * missed invalidations, and only then makes the cache available. One recovery runs at a
 * time; a failed one opens the circuit breaker, whose half-open transition starts the
 * next.
 */
final class CacheRecovery {

	private static final Log logger = LogFactory.getLog(CacheRecovery.class);

	private static final int REPLAY_CONCURRENCY = 16;

	private static final int MAX_PASSES = 5;

	private final CacheAvailability availability;

	private final CacheCircuitBreaker breaker;

	private final CacheEpoch epoch;

	private final RecoveryStore probes;

	private final Duration epochBumpAfter;

	private final Duration itemTtl;

	private final Counter recoveries;

	private final Counter epochBumps;

	private final CacheMetrics metrics;

	private final AtomicReference<Mono<Void>> running = new AtomicReference<>();

	private volatile boolean again;

	private volatile boolean attempted;

	private volatile String runIds;

	private volatile boolean failing;

	CacheRecovery(CacheAvailability availability, CacheCircuitBreaker breaker, CacheEpoch epoch, RecoveryStore probes,
			CacheResilienceProperties properties, Duration itemTtl, MeterRegistry registry, CacheMetrics metrics) {
		this.availability = availability;
		this.breaker = breaker;
		this.epoch = epoch;
		this.probes = probes;
		this.epochBumpAfter = properties.epochBumpAfter();
		this.itemTtl = itemTtl;
		this.metrics = metrics;
		this.recoveries = Counter.builder("productstore.cache.recoveries")
			.description("Recoveries that made Redis safe to read from again")
			.register(registry);
		this.epochBumps = Counter.builder("productstore.cache.epoch.bumps")
			.description("Global epoch bumps: every entry written before became unreachable")
			.register(registry);
	}

	/** Whether a recovery has run to its end once (successfully or not). */
	boolean attempted() {
		return this.attempted;
	}

	/**
	 * Starts a recovery, or joins the one running; never fails.
	 * @return completion of the recovery
	 */
	Mono<Void> recover() {
		Mono<Void> current = this.running.get();
		if (current != null) {
			this.again = true;
			return current;
		}
		List<Mono<Void>> self = new ArrayList<>(1);
		Mono<Void> run = Mono.defer(this::attempt).onErrorResume((ex) -> {
			this.metrics.error();
			String message = "Cache recovery failed, retrying when the circuit breaker half-opens: " + ex.getMessage();
			if (this.failing) {
				logger.debug(message);
			}
			else {
				logger.warn(message + " (further failures are logged at DEBUG until it succeeds)");
				this.failing = true;
			}
			this.breaker.open();
			return Mono.empty();
		}).then(Mono.<Void>fromRunnable(() -> this.attempted = true)).doFinally((signal) -> {
			this.running.compareAndSet(self.get(0), null);
			if (this.again && !this.availability.available() && this.breaker.state() != CircuitBreaker.State.OPEN) {
				this.again = false;
				recover().subscribe();
			}
		}).cache();
		self.add(run);
		if (!this.running.compareAndSet(null, run)) {
			return recover();
		}
		this.again = false;
		run.subscribe();
		return run;
	}

	/**
	 * The periodic check of an available cache: a new {@code run_id} means Redis was
	 * restarted (or failed over) and may hold old entries; an epoch bumped by another
	 * instance is picked up. An unavailable cache whose breaker is not open gets a
	 * recovery.
	 */
	Mono<Void> heartbeat() {
		if (!this.availability.available()) {
			boolean idle = this.running.get() == null && this.breaker.state() != CircuitBreaker.State.OPEN;
			return idle ? recover() : Mono.empty();
		}
		return this.probes.runIds().flatMap((ids) -> {
			if (this.runIds != null && !this.runIds.equals(ids)) {
				this.availability.unavailable("Redis was restarted or replaced (run_id changed)");
				return recover();
			}
			return this.epoch.sync(this.probes).doOnNext((changed) -> {
				if (changed) {
					this.availability.announce(new CacheAvailabilityChanged(true,
							"epoch " + this.epoch.value() + " set by another instance"));
				}
			}).then();
		}).onErrorResume((ex) -> Mono.empty());
	}

	private Mono<Void> attempt() {
		return this.probes.runIds().flatMap((ids) -> {
			InvalidationJournal.Snapshot pending = this.availability.journal().drain();
			String bumpReason = bumpReason(ids, pending);
			Mono<?> epochStep = (bumpReason != null) ? bump(bumpReason) : this.epoch.sync(this.probes);
			return epochStep.onErrorResume((ex) -> restore(pending, ex))
				.then(Mono.fromRunnable(this.breaker::close))
				.then(replay(pending, false))
				.then(finish(ids, 0));
		});
	}

	private String bumpReason(String ids, InvalidationJournal.Snapshot pending) {
		if (this.runIds != null && !this.runIds.equals(ids)) {
			return "Redis was restarted or replaced (run_id changed)";
		}
		if (pending.overflowed()) {
			return "the journal of missed invalidations overflowed";
		}
		if (Duration.ofNanos(this.availability.unavailableNanos()).compareTo(this.epochBumpAfter) > 0
				&& this.attempted) {
			return "Redis was unavailable for more than " + this.epochBumpAfter.toSeconds() + " s";
		}
		return null;
	}

	private Mono<Long> bump(String reason) {
		return this.epoch.bump(this.probes).doOnNext((value) -> {
			this.epochBumps.increment();
			logger.warn("Bumped the cache epoch to " + value + " (every older entry is unreachable): " + reason);
		});
	}

	/** Removes the journaled items (recording their versions) and bumps generations. */
	private Mono<Void> replay(InvalidationJournal.Snapshot snapshot, boolean bumpOnOverflow) {
		Mono<?> overflow = (bumpOnOverflow && snapshot.overflowed()) ? bump("the journal overflowed") : Mono.empty();
		Mono<Void> items = Flux.fromIterable(snapshot.items())
			.flatMap((item) -> this.probes.removeItem(this.epoch.keys().item(item.region(), item.id()), item.version(),
					this.itemTtl), REPLAY_CONCURRENCY)
			.then();
		Mono<Void> generations = Flux.fromIterable(snapshot.regions())
			.flatMap((region) -> this.probes.bumpGeneration(this.epoch.keys().generation(region)), REPLAY_CONCURRENCY)
			.then();
		int count = snapshot.items().size() + snapshot.regions().size();
		return overflow.then(items).then(generations).doOnSuccess((ignored) -> {
			if (count > 0) {
				logger.info("Replayed " + count + " missed cache invalidation(s)");
			}
		}).onErrorResume((ex) -> restore(snapshot, ex));
	}

	/** Becomes available once nothing was journaled during the replay. */
	private Mono<Void> finish(String ids, int pass) {
		return Mono.defer(() -> {
			this.runIds = ids;
			InvalidationJournal.Snapshot more = this.availability
				.availableUnlessJournaled("recovered (epoch " + this.epoch.value() + ")");
			if (more == null) {
				this.failing = false;
				this.recoveries.increment();
				return Mono.empty();
			}
			if (pass >= MAX_PASSES) {
				return restore(more, new IllegalStateException("invalidations keep missing Redis"));
			}
			return replay(more, true).then(finish(ids, pass + 1));
		});
	}

	private <T> Mono<T> restore(InvalidationJournal.Snapshot snapshot, Throwable ex) {
		this.availability.journal().restore(snapshot);
		return Mono.error(ex);
	}

}
