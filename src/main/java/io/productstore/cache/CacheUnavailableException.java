package io.productstore.cache;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;

/**
 * Redis failed during a cache operation, or the call was refused without reaching it
 * (breaker open, cache unavailable); the engine falls back to the origin.
 */
public class CacheUnavailableException extends RuntimeException {

	private final boolean refused;

	public CacheUnavailableException(Throwable cause) {
		this(cause, false);
	}

	private CacheUnavailableException(Throwable cause, boolean refused) {
		super("Redis cache unavailable: " + cause.getMessage(), cause);
		this.refused = refused;
	}

	/**
	 * A call that the engine did not attempt because the cache is not serving from Redis
	 * (recovering, or an invalidation is waiting in the journal): expected, so neither
	 * logged nor counted as an error, and not worth retrying.
	 * @param reason why it was refused
	 * @return the exception
	 */
	public static CacheUnavailableException refused(Throwable reason) {
		return new CacheUnavailableException(reason, true);
	}

	/**
	 * Whether the call was refused because the cache is not serving from Redis.
	 * @return {@code true} for a refused call
	 */
	public boolean refused() {
		return this.refused;
	}

	/**
	 * Whether a failed cache step is worth retrying at once: it reached Redis, which
	 * failed or was slow.
	 * @param ex the failure
	 * @return {@code false} for a call refused by the engine or by the open circuit
	 * breaker, and for anything that is not a cache failure
	 */
	public static boolean retryable(Throwable ex) {
		return ex instanceof CacheUnavailableException unavailable && !unavailable.refused()
				&& !(ex.getCause() instanceof CallNotPermittedException);
	}

}
