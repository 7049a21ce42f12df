package io.productstore.cache.outage;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.productstore.cache.CacheAvailabilityChanged;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What one recovery does, in order ({@link CacheRecovery} decides when one runs): reads
 * the {@code run_id}, reads or bumps the epoch, closes the breaker, replays the journal,
 * and makes the cache available once nothing more was journaled meanwhile. Also the
 * heartbeat's look at an available cache. Remembers the {@code run_id} of the Redis it
 * last replayed into, which both compare with.
 */
final class RecoverySteps {

	// The recovery's logger, as before these steps had a class of their own: a level set
	// for CacheRecovery keeps covering every line a recovery logs.
	private static final Log logger = LogFactory.getLog(CacheRecovery.class);

	private static final int REPLAY_CONCURRENCY = 16;

	private static final int MAX_PASSES = 5;

	private static final String RESTARTED = "Redis was restarted or replaced (run_id changed)";

	private static final String RESTARTED_SINCE_RECORDED = "Redis was restarted or replaced since an instance last "
			+ "recovered (its run_id differs from the one recorded in Redis)";

	private final CacheAvailability availability;

	private final CacheCircuitBreaker breaker;

	private final CacheEpoch epoch;

	private final RecoveryStore store;

	private final RecoveryStore checks;

	private final Duration epochBumpAfter;

	private final Duration itemTtl;

	private final Counter recoveries;

	private final Counter epochBumps;

	private volatile String runIds;

	/**
	 * The steps over two views of one Redis.
	 * @param store the recovery's calls: the longer recovery timeout, no verdict on
	 * silence (a recovery may wait for a new connection)
	 * @param checks the heartbeat's look and the writes' read back of the epoch: bounded
	 * like the request path's calls, so a hang is noticed within a heartbeat and
	 * {@code unresponsive-after} even with no request traffic
	 */
	RecoverySteps(CacheAvailability availability, CacheCircuitBreaker breaker, CacheEpoch epoch, RecoveryStore store,
			RecoveryStore checks, Duration epochBumpAfter, Duration itemTtl, MeterRegistry registry) {
		this.availability = availability;
		this.breaker = breaker;
		this.epoch = epoch;
		this.store = store;
		this.checks = checks;
		this.epochBumpAfter = epochBumpAfter;
		this.itemTtl = itemTtl;
		this.recoveries = Counter.builder("productstore.cache.recoveries")
			.description("Recoveries that made Redis safe to read from again")
			.register(registry);
		this.epochBumps = Counter.builder("productstore.cache.epoch.bumps")
			.description("Global epoch bumps: every entry written before became unreachable")
			.register(registry);
	}

	/**
	 * Runs one recovery.
	 * @param attempted whether a recovery has run to its end before this one
	 * @return completion once the cache is available; an error (with everything taken
	 * from the journal put back) if any step failed
	 */
	Mono<Void> recover(boolean attempted) {
		return this.store.runIds()
			.flatMap((ids) -> this.store.recordRunIds(this.epoch.namespace().runIds(), ids)
				.defaultIfEmpty("")
				.flatMap((recorded) -> recover(ids, recorded, attempted)));
	}

	private Mono<Void> recover(String ids, String recorded, boolean attempted) {
		return Mono.defer(() -> {
			InvalidationJournal.Snapshot pending = this.availability.journal().drain();
			String bumpReason = bumpReason(ids, recorded, pending, attempted);
			Mono<?> epochStep = (bumpReason != null) ? bump(bumpReason) : this.epoch.sync(this.store);
			return epochStep.onErrorResume((ex) -> restore(pending, ex))
				.then(Mono.fromRunnable(this.breaker::close))
				.then(replay(pending, false))
				.then(finish(ids, 0));
		});
	}

	/**
	 * The heartbeat's look at an available cache: a new {@code run_id} makes it
	 * unavailable; an epoch bumped by another instance is picked up and announced.
	 * @return whether Redis was restarted (the cache needs a recovery)
	 */
	Mono<Boolean> check() {
		return this.checks.runIds().flatMap((ids) -> {
			if (restarted(ids)) {
				this.availability.unavailable(RESTARTED);
				return Mono.just(true);
			}
			return syncEpoch().thenReturn(false);
		});
	}

	/**
	 * Reads the epoch, as the heartbeat does; one bumped by another instance is picked up
	 * and announced.
	 * @return whether it changed
	 */
	Mono<Boolean> syncEpoch() {
		return this.epoch.sync(this.checks).doOnNext((changed) -> {
			if (changed) {
				this.availability.announce(
						new CacheAvailabilityChanged(true, "epoch " + this.epoch.value() + " set by another instance"));
			}
		});
	}

	private boolean restarted(String ids) {
		// No run_id yet (nothing replayed since startup): nothing to compare with.
		return this.runIds != null && !this.runIds.equals(ids);
	}

	private String bumpReason(String ids, String recorded, InvalidationJournal.Snapshot pending, boolean attempted) {
		if (restarted(ids)) {
			return RESTARTED;
		}
		// What any instance saw last, kept in Redis itself: a first recovery (with no run
		// id of its own to compare) still notices a Redis that came back from its AOF,
		// which may miss the last second of invalidations.
		if (!recorded.isEmpty() && !recorded.equals(ids)) {
			return RESTARTED_SINCE_RECORDED;
		}
		if (pending.overflowed()) {
			return "the journal of missed invalidations overflowed";
		}
		// Before the first recovery has ended, "unavailable" only means "since startup".
		if (Duration.ofNanos(this.availability.unavailableNanos()).compareTo(this.epochBumpAfter) > 0 && attempted) {
			return "Redis was unavailable for more than " + this.epochBumpAfter.toSeconds() + " s";
		}
		return null;
	}

	private Mono<Long> bump(String reason) {
		return this.epoch.bump(this.store).doOnNext((value) -> {
			this.epochBumps.increment();
			logger.warn("Bumped the cache epoch to " + value + " (every older entry is unreachable): " + reason);
		});
	}

	/** Removes the journaled items (recording their versions) and bumps generations. */
	private Mono<Void> replay(InvalidationJournal.Snapshot snapshot, boolean bumpOnOverflow) {
		Mono<?> overflow = (bumpOnOverflow && snapshot.overflowed()) ? bump("the journal overflowed") : Mono.empty();
		Mono<Void> items = Flux.fromIterable(snapshot.items())
			.flatMap((item) -> this.store.removeItem(this.epoch.keys().item(item.region(), item.id()), item.version(),
					this.itemTtl), REPLAY_CONCURRENCY)
			.then();
		Mono<Void> generations = Flux.fromIterable(snapshot.regions())
			.flatMap((region) -> this.store.bumpGeneration(this.epoch.keys().generation(region)), REPLAY_CONCURRENCY)
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
