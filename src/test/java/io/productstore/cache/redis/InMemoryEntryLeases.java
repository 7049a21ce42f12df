package io.productstore.cache.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@link EntryLeases} in memory, with the semantics of the Lua scripts and without lease
 * expiry; every call runs when subscribed (as a Redis call does) and is recorded with the
 * time of the {@link Schedulers#parallel() parallel} scheduler, virtual under
 * {@code StepVerifier.withVirtualTime}.
 */
class InMemoryEntryLeases implements EntryLeases {

	private final Map<String, byte[]> entries = new ConcurrentHashMap<>();

	private final Map<String, Duration> ttls = new ConcurrentHashMap<>();

	private final Map<String, String> locks = new ConcurrentHashMap<>();

	private final List<Long> acquiredAtMillis = new ArrayList<>();

	private int releases;

	@Override
	public Mono<byte[]> acquire(CacheKeys.EntryKeys keys, String token, Duration lease) {
		return Mono.fromSupplier(() -> {
			this.acquiredAtMillis.add(Schedulers.parallel().now(TimeUnit.MILLISECONDS));
			byte[] entry = this.entries.get(keys.entry());
			if (entry != null) {
				return entry;
			}
			boolean locked = this.locks.putIfAbsent(keys.lock(), token) == null;
			return new byte[] { locked ? RedisScripts.ACQUIRED : RedisScripts.BUSY };
		});
	}

	@Override
	public Mono<Boolean> forceLease(CacheKeys.EntryKeys keys, String token, Duration lease) {
		return Mono.fromSupplier(() -> {
			this.locks.put(keys.lock(), token);
			return true;
		});
	}

	@Override
	public Mono<Boolean> tryLease(CacheKeys.EntryKeys keys, String token, Duration lease) {
		return Mono.fromSupplier(() -> this.locks.putIfAbsent(keys.lock(), token) == null);
	}

	@Override
	public Mono<Boolean> setIfLeased(CacheKeys.EntryKeys keys, String token, byte[] entry, Duration ttl) {
		return Mono.fromSupplier(() -> {
			if (!this.locks.remove(keys.lock(), token)) {
				return false;
			}
			this.entries.put(keys.entry(), entry);
			this.ttls.put(keys.entry(), ttl);
			return true;
		});
	}

	@Override
	public Mono<Boolean> release(CacheKeys.EntryKeys keys, String token) {
		return Mono.fromSupplier(() -> {
			this.releases++;
			return this.locks.remove(keys.lock(), token);
		});
	}

	/** Another caller holds the lock. */
	void lockedBy(CacheKeys.EntryKeys keys, String token) {
		this.locks.put(keys.lock(), token);
	}

	/** Another caller stored an entry (and, as its store does, deleted the lock). */
	void stored(CacheKeys.EntryKeys keys, byte[] entry) {
		this.entries.put(keys.entry(), entry);
		this.locks.remove(keys.lock());
	}

	/**
	 * What a write does ({@code WRITTEN}): cancels every lease, then replaces the entry.
	 */
	void written(CacheKeys.EntryKeys keys, byte[] entry) {
		stored(keys, entry);
	}

	byte[] entry(CacheKeys.EntryKeys keys) {
		return this.entries.get(keys.entry());
	}

	Duration ttl(CacheKeys.EntryKeys keys) {
		return this.ttls.get(keys.entry());
	}

	String lock(CacheKeys.EntryKeys keys) {
		return this.locks.get(keys.lock());
	}

	List<Long> acquiredAtMillis() {
		return this.acquiredAtMillis;
	}

	int releases() {
		return this.releases;
	}

}
