package io.productstore.cache.redis;

import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * The calls on one entry and its lock that a {@link LeasedLoader} makes: taking, using
 * and giving back the lease under which a loaded value may be stored. Implemented by
 * {@link RedisCacheStore} with the scripts of {@link RedisScripts}; an interface so the
 * loader's rules can be tested without Redis.
 */
interface EntryLeases {

	/**
	 * Takes the lock unless the entry has appeared meanwhile.
	 * @return the entry, or one byte: {@link RedisScripts#ACQUIRED} or
	 * {@link RedisScripts#BUSY}
	 */
	Mono<byte[]> acquire(CacheKeys.EntryKeys keys, String token, Duration lease);

	/** Takes the lock even if someone holds it (their store will then be refused). */
	Mono<Boolean> forceLease(CacheKeys.EntryKeys keys, String token, Duration lease);

	/** Takes the lock only if nobody holds it (an early refresh never waits). */
	Mono<Boolean> tryLease(CacheKeys.EntryKeys keys, String token, Duration lease);

	/**
	 * Stores the entry and deletes the lock, only while the lock still holds this token.
	 * @return whether it was stored ({@code false}: a write took the lease since)
	 */
	Mono<Boolean> setIfLeased(CacheKeys.EntryKeys keys, String token, byte[] entry, Duration ttl);

	/** Deletes the lock if it still holds this token (never another holder's). */
	Mono<Boolean> release(CacheKeys.EntryKeys keys, String token);

}
