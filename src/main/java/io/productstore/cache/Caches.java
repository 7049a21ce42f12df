package io.productstore.cache;

import io.productstore.cache.redis.CacheKeys;

/**
 * Hands out one {@link CacheRegion} per kind of entity; every region shares the engine's
 * levels, outage handling and meters.
 */
public final class Caches {

	private final ReadPath reads;

	private final WritePath writes;

	Caches(ReadPath reads, WritePath writes) {
		this.reads = reads;
		this.writes = writes;
	}

	/**
	 * The handle of a region.
	 * @param name the kind of entity, {@code [a-z][a-z0-9-]*}, part of every key
	 * @return the handle
	 */
	public CacheRegion region(String name) {
		return new CacheRegion(CacheKeys.checkRegion(name), this.reads, this.writes);
	}

}
