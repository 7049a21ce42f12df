/**
 * The Redis level of the cache: every Redis call ({@code RedisCacheStore}, its Lua
 * scripts), every key and channel name ({@code CacheKeys}), the value codec, the read
 * path through Redis with in-process coalescing, the cross-instance load lock and lease
 * ({@code LeasedLoader}), probabilistic early refresh, and the write path's Redis steps.
 * Knows nothing of outages: each call goes through a {@code RedisGuard} that the outage
 * handling supplies. Internal to the cache.
 */
package io.productstore.cache.redis;
