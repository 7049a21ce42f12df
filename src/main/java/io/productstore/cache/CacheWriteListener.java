package io.productstore.cache;

import reactor.core.publisher.Mono;

/**
 * Told by {@link ReadThroughCache} after a write has reached Redis, before the write
 * returns: the hook through which the near cache evicts and other instances are told.
 */
interface CacheWriteListener {

	/** Does nothing. */
	CacheWriteListener NONE = new CacheWriteListener() {
	};

	/**
	 * An item's entry was replaced or removed.
	 * @param region the region
	 * @param itemKey the item's entry key
	 * @param generationBumped whether the region's lists and counts were invalidated too
	 * @return completion; never an error
	 */
	default Mono<Void> itemWritten(String region, String itemKey, boolean generationBumped) {
		return Mono.empty();
	}

	/**
	 * The whole namespace was cleared.
	 * @return completion; never an error
	 */
	default Mono<Void> cleared() {
		return Mono.empty();
	}

}
