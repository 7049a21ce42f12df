/**
 * Operating the cache: statistics and meters, the {@code redis} health component, the
 * warm-up runner of every {@code CacheWarmer}, clearing the namespace, and the generic
 * admin routes under {@code /api/cache}. Internal to the cache.
 */
package io.productstore.cache.admin;
