package io.productstore.cache;

/**
 * A read through the near cache and Redis: the value together with its JSON form, ready
 * to be written as a response body without serialising it again.
 *
 * @param <T> the value type
 * @param value the value, or {@code null} when the origin has none
 * @param json the value as JSON ({@code null} with the value)
 * @param digest a hash of {@code json} for weak entity tags ({@code null} with the value)
 * @param outcome how the value was served ({@code X-Cache})
 * @param level which level served it
 */
public record CachedRead<T>(T value, byte[] json, String digest, CacheOutcome outcome, CacheLevel level) {

	/**
	 * Whether the origin has a value.
	 * @return {@code false} for a negative entry
	 */
	public boolean found() {
		return this.value != null;
	}

}
