package io.productstore.cache;

/**
 * The result of a read through the cache.
 *
 * @param <T> the value type
 * @param value the value, or {@code null} when the origin has none (a negative entry)
 * @param outcome how the value was served
 * @param inRedis whether Redis held this value, or took it, when it was served: what the
 * near cache's invalidations keep current. A value whose store Redis refused (a write
 * came between the load and the store), failed or was never asked for (a bypass, a wait
 * for the lock given up) must not enter a near cache: the invalidation of the write that
 * makes it old may have arrived before the value did, as it does for a read that joined
 * the load late
 */
public record CacheLookup<T>(T value, CacheOutcome outcome, boolean inRedis) {

	/**
	 * A lookup whose value is in Redis unless it bypassed it.
	 * @param value the value, or {@code null}
	 * @param outcome how the value was served
	 */
	public CacheLookup(T value, CacheOutcome outcome) {
		this(value, outcome, outcome != CacheOutcome.BYPASS);
	}

	/**
	 * The same value and outcome, not in Redis.
	 * @return the lookup
	 */
	public CacheLookup<T> notInRedis() {
		return new CacheLookup<>(this.value, this.outcome, false);
	}

	/**
	 * Whether the origin has a value.
	 * @return {@code false} for a negative entry
	 */
	public boolean found() {
		return this.value != null;
	}

}
