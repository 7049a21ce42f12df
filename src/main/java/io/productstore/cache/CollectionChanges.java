package io.productstore.cache;

import org.springframework.util.Assert;

/**
 * Declares that a region caches the documents of a MongoDB collection, so that every
 * instance follows that collection's change stream and invalidates the region for every
 * insert, update, replace and delete, whoever makes it (another service, a shell, a
 * migration, or a request of this one that never reached its cache step). Declared as a
 * bean by the feature that owns the region; see "Invalidation from the change stream" in
 * {@code docs/caching.md}.
 *
 * @param region the region's name
 * @param collection the collection
 * @param versionField the field of the optimistic-locking version that writes pass to
 * {@link CacheRegion#written(String, Object, long)}, or null if the documents have none
 */
public record CollectionChanges(String region, String collection, String versionField) {

	public CollectionChanges {
		Assert.hasText(region, "region must not be empty");
		Assert.hasText(collection, "collection must not be empty");
	}

	/**
	 * The changes of a collection whose documents a region caches by their {@code _id}
	 * (an ObjectId as its 24 hex digits, a string as it is).
	 * @param region the region
	 * @param collection the collection
	 * @param versionField the version field, or null
	 * @return the declaration
	 */
	public static CollectionChanges of(CacheRegion region, String collection, String versionField) {
		return new CollectionChanges(region.name(), collection, versionField);
	}

}
