package io.productstore.cache.near;

import io.productstore.cache.CachedRead;

/**
 * An entry in memory: the read as served from here, and when and how fast it came.
 *
 * @param read the read, as a near hit
 * @param filledAt when it was put in memory, by the near cache's ticker
 * @param loadNanos how long reading the next level took for it
 */
record NearEntry(CachedRead<?> read, long filledAt, long loadNanos) {

}
