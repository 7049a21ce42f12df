/**
 * The Redis-first read-through cache engine: keys, locks, invalidation, stats and
 * administration.
 */
package io.productstore.cache;
