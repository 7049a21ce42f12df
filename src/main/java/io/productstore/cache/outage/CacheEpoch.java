package io.productstore.cache.outage;

import java.time.Clock;

import io.productstore.cache.redis.CacheKeys;
import reactor.core.publisher.Mono;

/**
 * The global cache epoch: part of every key ({@code <prefix>E<epoch>:...}, nothing for
 * epoch 0), stored in Redis at {@code <prefix>epoch} and cached here. Bumping it makes
 * every entry written before unreachable at once, which is how the recovery deals with a
 * Redis that may hold entries older than MongoDB and no complete list of them.
 */
final class CacheEpoch {

	private final CacheKeys namespace;

	private final Clock clock;

	private volatile Current current;

	private volatile boolean known;

	CacheEpoch(CacheKeys namespace, Clock clock) {
		this.namespace = namespace;
		this.clock = clock;
		this.current = new Current(0, namespace);
	}

	/** Whether the epoch has been read from Redis once: keys can be built. */
	boolean known() {
		return this.known;
	}

	long value() {
		return this.current.epoch();
	}

	/** The keys of the current epoch. */
	/** The keys of epoch 0: where the epoch and the run ids live. */
	CacheKeys namespace() {
		return this.namespace;
	}

	CacheKeys keys() {
		return this.current.keys();
	}

	/**
	 * Reads the epoch from Redis.
	 * @return whether it differs from the one known here
	 */
	Mono<Boolean> sync(RecoveryStore store) {
		return store.syncEpoch(this.namespace.epoch(), value()).map(this::set);
	}

	/**
	 * Bumps the epoch in Redis, to at least the clock in milliseconds.
	 * @return the new epoch
	 */
	Mono<Long> bump(RecoveryStore store) {
		return store.bumpEpoch(this.namespace.epoch(), value(), this.clock.millis()).doOnNext(this::set);
	}

	private synchronized boolean set(long epoch) {
		this.known = true;
		if (epoch == this.current.epoch()) {
			return false;
		}
		this.current = new Current(epoch, this.namespace.forEpoch(epoch));
		return true;
	}

	private record Current(long epoch, CacheKeys keys) {

	}

}
