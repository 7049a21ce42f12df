package io.productstore.cache;

/**
 * How a cacheable read was served; becomes the {@code X-Cache} response header.
 */
public enum CacheOutcome {

	/** Served from Redis without reading the origin. */
	HIT,

	/**
	 * Not in Redis at the first look: the value comes from an origin read made for this
	 * request or one it waited for (coalesced in this instance or loaded by another).
	 */
	MISS,

	/**
	 * The cache was skipped: {@code Cache-Control: no-cache}, the cache is disabled, or
	 * Redis failed and the origin was read directly.
	 */
	BYPASS

}
