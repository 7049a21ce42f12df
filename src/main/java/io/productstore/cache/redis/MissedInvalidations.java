package io.productstore.cache.redis;

/**
 * Told of every invalidation that could not reach Redis: the outage handling journals it
 * and keeps reads off Redis until it has been replayed.
 */
public interface MissedInvalidations {

	/**
	 * An item's entry could not be replaced or removed.
	 * @param region the region
	 * @param id the id
	 * @param version the version to record with its removal, or null
	 */
	void missedItem(String region, String id, Long version);

	/**
	 * A region's list/count generation could not be bumped.
	 * @param region the region
	 */
	void missedGeneration(String region);

}
