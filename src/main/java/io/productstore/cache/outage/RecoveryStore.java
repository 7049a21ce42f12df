package io.productstore.cache.outage;

import java.time.Duration;

import io.productstore.cache.redis.CacheKeys;
import reactor.core.publisher.Mono;

/**
 * The Redis calls of the recovery, the heartbeat and the epoch, and no others: their
 * rules depend on what these answer, not on how Redis computes it, so they are
 * unit-tested over an in-memory store. {@link RedisRecoveryStore} makes them in Redis.
 */
interface RecoveryStore {

	/**
	 * The {@code run_id} of every server answering, sorted and joined.
	 * @return the ids: they change when Redis restarts or fails over, which may bring
	 * back entries older than MongoDB
	 */
	Mono<String> runIds();

	/**
	 * Records the run ids a recovery saw at {@code key} (shared by every instance, kept
	 * with Redis's data) and returns the ones recorded before.
	 * @return the previous ids, empty text if none were recorded
	 */
	Mono<String> recordRunIds(String key, String ids);

	/**
	 * Reads the epoch stored at {@code key}, writing {@code local} back first if it is
	 * higher (the key was evicted, or lost with a restart without persistence): the epoch
	 * never goes back to a number whose entries may still live.
	 * @return the epoch stored now
	 */
	Mono<Long> syncEpoch(String key, long local);

	/**
	 * Bumps the epoch stored at {@code key} above both the stored and the {@code local}
	 * one, and to at least {@code atLeast}.
	 * @return the epoch stored now
	 */
	Mono<Long> bumpEpoch(String key, long local, long atLeast);

	/**
	 * Removes an item's entry and lock and records its {@code version} (null: none) for
	 * {@code ttl}, so that a late older value is still refused; an entry whose recorded
	 * version is higher stays.
	 * @return whether the entry was removed
	 */
	Mono<Boolean> removeItem(CacheKeys.ItemKeys keys, Long version, Duration ttl);

	/**
	 * Bumps a region's list and count generation.
	 * @return the new generation
	 */
	Mono<Long> bumpGeneration(String key);

}
