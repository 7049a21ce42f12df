package io.productstore.cache.redis;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts of the engine; every script's keys share one Redis Cluster hash tag.
 */
final class RedisScripts {

	/** Reply of {@link #ACQUIRE}: this caller holds the lock and must load. */
	static final byte ACQUIRED = 'L';

	/** Reply of {@link #ACQUIRE}: another caller holds the lock. */
	static final byte BUSY = 'W';

	/**
	 * KEYS entry, lock; ARGV token, leaseMs. Returns the entry if it is there (a winner
	 * stored it since our first look), else takes the lock; one round trip, no gap
	 * between the check and the lock in which a value could arrive unseen.
	 */
	static final RedisScript<byte[]> ACQUIRE = RedisScript.of("""
			local value = redis.call('GET', KEYS[1])
			if value then return value end
			if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 'L' end
			return 'W'
			""", byte[].class);

	/**
	 * KEYS entry, lock; ARGV token, value, ttlMs. Stores only while the caller's lease is
	 * current: a write since the lease was taken deleted the lock, so a reader that read
	 * the origin before that write cannot store what it read (the stale-set race).
	 */
	static final RedisScript<Long> SET_IF_LEASED = RedisScript.of("""
			if redis.call('GET', KEYS[2]) == ARGV[1] then
			  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
			  redis.call('DEL', KEYS[2])
			  return 1
			end
			return 0
			""", Long.class);

	/**
	 * KEYS lock; ARGV token. Compare-and-delete: never releases another holder's lock.
	 */
	static final RedisScript<Long> RELEASE = RedisScript.of("""
			if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
			return 0
			""", Long.class);

	/**
	 * KEYS entry, lock, ver; ARGV value ('' = remove), ttlMs, version ('' = none),
	 * verTtlMs. Cancels any lease (in-flight loads cannot store), then replaces or
	 * removes the entry. With a version, a write older than the last one written (or an
	 * update of the same version, a replay) is refused, so writes that reach the cache
	 * out of order cannot leave the older value; the removal of a deleted entity carries
	 * the deleted version and wins over a late update of it. Returns 1 if applied, 0 if
	 * refused as older.
	 */
	static final RedisScript<Long> WRITTEN = RedisScript.of("""
			redis.call('DEL', KEYS[2])
			if ARGV[3] ~= '' then
			  local last = tonumber(redis.call('GET', KEYS[3]) or '-1')
			  local version = tonumber(ARGV[3])
			  if last > version or (last == version and ARGV[1] ~= '') then return 0 end
			  redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[4])
			end
			if ARGV[1] == '' then redis.call('DEL', KEYS[1])
			else redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
			return 1
			""", Long.class);

	/**
	 * KEYS gen; ARGV initial. Reads the generation, creating it at {@code initial} (the
	 * clock in ms) when missing, so a generation lost to eviction or a clear never comes
	 * back at a number whose entries may still live.
	 */
	static final RedisScript<Long> GENERATION = RedisScript.of("""
			local gen = redis.call('GET', KEYS[1])
			if not gen then
			  gen = ARGV[1]
			  redis.call('SET', KEYS[1], gen)
			end
			return tonumber(gen)
			""", Long.class);

	/**
	 * KEYS gen; ARGV initial. Bumps the generation: O(1) invalidation of lists and
	 * counts.
	 */
	static final RedisScript<Long> BUMP_GENERATION = RedisScript.of("""
			if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[1]) end
			return redis.call('INCR', KEYS[1])
			""", Long.class);

	private RedisScripts() {
	}

}
