package io.productstore.cache;

/**
 * The result of a read through the cache.
 *
 * @param <T> the value type
 * @param value the value, or {@code null} when the origin has none (a negative entry)
 * @param outcome how the value was served
 */
public record CacheLookup<T>(T value, CacheOutcome outcome) {

	/**
	 * Whether the origin has a value.
	 * @return {@code false} for a negative entry
	 */
	public boolean found() {
		return this.value != null;
	}

}
