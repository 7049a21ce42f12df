package io.productstore.cache;

/**
 * Redis failed during a cache operation; the engine falls back to the origin.
 */
class CacheUnavailableException extends RuntimeException {

	CacheUnavailableException(Throwable cause) {
		super("Redis cache unavailable: " + cause.getMessage(), cause);
	}

}
