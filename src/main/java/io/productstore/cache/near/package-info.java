/**
 * The near cache: hot entries in this instance's memory in front of Redis, the fill guard
 * that keeps a value read before a racing write out of memory, and the pub/sub bus whose
 * typed {@code Invalidation} messages evict entries on every instance. Internal to the
 * cache.
 */
package io.productstore.cache.near;
