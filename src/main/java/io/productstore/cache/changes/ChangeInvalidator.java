package io.productstore.cache.changes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.productstore.cache.CacheUnavailableException;
import io.productstore.cache.changes.ChangeBatch.Target;
import io.productstore.cache.near.InvalidationBus;
import io.productstore.cache.near.NearCache;
import io.productstore.cache.outage.CacheResilience;
import io.productstore.cache.redis.CacheKeys;
import io.productstore.cache.redis.InFlightLoads;
import io.productstore.cache.redis.RedisCacheStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuple2;
import reactor.util.retry.Retry;

/**
 * Applies a batch of a region's changes, in the write path's order: Redis (one script per
 * document, one generation bump for the batch), then this instance's near cache, then a
 * message to the other instances for what this instance applied first. Like the write
 * path it never fails: a step that cannot reach Redis goes to the outage journal, and the
 * cache stops serving from Redis until it has been replayed.
 */
final class ChangeInvalidator {

	private static final Log logger = LogFactory.getLog(ChangeInvalidator.class);

	private static final int CONCURRENCY = 16;

	private static final Duration RETRY_BACKOFF = Duration.ofMillis(20);

	private final CacheResilience resilience;

	private final RedisCacheStore store;

	private final NearCache near;

	private final InvalidationBus bus;

	private final InFlightLoads inFlight;

	private final CacheKeys namespace;

	private final Duration itemTtl;

	/**
	 * An invalidator of every region.
	 * @param resilience the outage handling: the keys of the epoch, the journal
	 * @param store a store behind the write guard
	 * @param near this instance's near cache
	 * @param bus the channel to the other instances' near caches
	 * @param inFlight this instance's coalesced loads
	 * @param namespace the keys of epoch 0, for the near cache's keys
	 * @param itemTtl how long the records of an item live: as long as an entry can
	 */
	ChangeInvalidator(CacheResilience resilience, RedisCacheStore store, NearCache near, InvalidationBus bus,
			InFlightLoads inFlight, CacheKeys namespace, Duration itemTtl) {
		this.resilience = resilience;
		this.store = store;
		this.near = near;
		this.bus = bus;
		this.inFlight = inFlight;
		this.namespace = namespace;
		this.itemTtl = itemTtl;
	}

	/**
	 * Invalidates what a batch of changes can affect.
	 * @param region the region
	 * @param batch the changes
	 * @param metrics where to count what was applied
	 * @return completion; never an error
	 */
	Mono<Void> apply(String region, ChangeBatch batch, ChangeStreamMetrics metrics) {
		if (batch.everything()) {
			// No list of what the collection held: only a new epoch covers it.
			metrics.epochBump("collection-gone");
			this.resilience.missedUnknown("the collection of region " + region + " was dropped or renamed");
		}
		return this.resilience
			.afterFirstRecovery(this.resilience.underCurrentEpoch((keys) -> redisSteps(keys, region, batch, metrics),
					() -> journalBatch(region, batch)))
			.flatMap((applied) -> {
				batch.targets().keySet().forEach((id) -> this.near.invalidateItem(this.namespace.nearItem(region, id)));
				if (batch.changesQueries()) {
					this.near.invalidateQueries(this.namespace.nearQueries(region));
				}
				Mono<Void> others = Flux.fromIterable(applied.getT1())
					.flatMap((id) -> this.bus.itemWritten(this.namespace.nearItem(region, id)), CONCURRENCY)
					.then();
				// A lost message leaves the other instances' copies until their near TTL:
				// the
				// stream itself reaches them too (each instance tails it), so no journal
				// here.
				return others.then(applied.getT2() ? this.bus.queriesChanged(region).then() : Mono.empty());
			});
	}

	/**
	 * The Redis steps of a batch under the keys of one epoch (run again under a newer one
	 * by {@link CacheResilience#underCurrentEpoch}).
	 */
	private Mono<Tuple2<List<String>, Boolean>> redisSteps(CacheKeys keys, String region, ChangeBatch batch,
			ChangeStreamMetrics metrics) {
		Mono<List<String>> items = Flux.fromIterable(batch.targets().values())
			.flatMap((target) -> evict(keys, region, target, metrics), CONCURRENCY)
			.collectList();
		Mono<Boolean> queries = batch.changesQueries() ? Mono.defer(() -> bumpGeneration(keys, region, batch, metrics))
				: Mono.just(false);
		return Mono.zip(items, queries);
	}

	private void journalBatch(String region, ChangeBatch batch) {
		batch.targets().values().forEach((target) -> this.resilience.missedItem(region, target.id(), target.version()));
		if (batch.changesQueries()) {
			this.resilience.missedGeneration(region);
		}
	}

	/** Evicts one document's entry; emits its id if this instance applied the change. */
	private Mono<String> evict(CacheKeys keys, String region, Target target, ChangeStreamMetrics metrics) {
		return Mono.defer(() -> {
			CacheKeys.ItemKeys item = keys.item(region, target.id());
			// A load of this instance that read the document before the change must not
			// be joined by later reads.
			this.inFlight.forget(item.entry());
			this.inFlight.forget(CacheKeys.fallback(keys.nearItem(region, target.id())));
			byte[] version = (target.version() != null) ? bytes(target.version().toString()) : new byte[0];
			return this.store.eval(ChangeScripts.EVICT,
					List.of(item.entry(), item.lock(), item.version(), item.changed()),
					bytes(ResumePoint.padded(target.position())), version,
					bytes(Long.toString(this.itemTtl.toMillis())));
		}).retryWhen(retry()).flatMap((applied) -> {
			metrics.itemInvalidated(applied == 1L);
			return (applied == 1L) ? Mono.just(target.id()) : Mono.<String>empty();
		})
			.onErrorResume((ex) -> journal(target.id(), ex,
					() -> this.resilience.missedItem(region, target.id(), target.version())));
	}

	private Mono<Boolean> bumpGeneration(CacheKeys keys, String region, ChangeBatch batch,
			ChangeStreamMetrics metrics) {
		return this.store
			.eval(ChangeScripts.BUMP_GENERATION, List.of(keys.generation(region), keys.generationChanged(region)),
					bytes(ResumePoint.padded(batch.last().position())), initialGeneration())
			.retryWhen(retry())
			.map((bumped) -> {
				metrics.queriesInvalidated(bumped == 1L);
				return bumped == 1L;
			})
			.onErrorResume(
					(ex) -> journal(region, ex, () -> this.resilience.missedGeneration(region)).thenReturn(false));
	}

	/**
	 * Journals a step that did not reach Redis; the journal makes the cache unavailable
	 * and says so once, so each step is only logged at DEBUG.
	 */
	private <T> Mono<T> journal(String what, Throwable failure, Runnable record) {
		record.run();
		logger.debug("Change stream invalidation of " + what + " journaled: " + failure.getMessage());
		return Mono.empty();
	}

	/** Both scripts are safe to repeat: a second run finds the change applied. */
	private static Retry retry() {
		return Retry.backoff(2, RETRY_BACKOFF).filter(CacheUnavailableException::retryable);
	}

	/**
	 * Where a lost generation restarts: the clock in microseconds, as
	 * {@code RedisCacheStore} creates it, above any number used before.
	 */
	private static byte[] initialGeneration() {
		return bytes(Long.toString(System.currentTimeMillis() * 1000));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
