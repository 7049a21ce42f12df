package io.productstore.cache;

/**
 * Where a cacheable read was served from.
 */
public enum CacheLevel {

	/** This instance's memory (the near cache). */
	NEAR,

	/** Redis. */
	REDIS,

	/** The origin (MongoDB), for this request or one it waited for. */
	ORIGIN

}
