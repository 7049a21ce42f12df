package io.productstore.cache.changes;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts of invalidation from the change stream. Positions are compared as
 * fixed-width strings ({@link ResumePoint#padded}): cluster times exceed the integers a
 * Lua number holds exactly.
 */
final class ChangeScripts {

	/**
	 * A version above every real one, recorded for a deleted document whose version the
	 * event does not tell: no late write-through of it can bring it back. The largest
	 * integer a Lua number holds exactly.
	 */
	static final long DELETED = (1L << 53) - 1;

	/**
	 * KEYS entry, lock, ver, changed; ARGV position, version ('' = unknown), ttlMs.
	 * Unless this change (or a later one) was applied already, by any instance: removes
	 * the entry (a value or a negative entry) and cancels the lease of a load in flight,
	 * so a reader that read the document before the change cannot store it; raises the
	 * recorded version, never lowers it, so a late write-through of an older version is
	 * refused. Never stores a value: an old event can cost a reload, not bring an old
	 * value back. Returns 1 if applied, 0 if it had been.
	 */
	static final RedisScript<Long> EVICT = RedisScript.of("""
			local applied = redis.call('GET', KEYS[4])
			if applied and applied >= ARGV[1] then return 0 end
			redis.call('SET', KEYS[4], ARGV[1], 'PX', ARGV[3])
			redis.call('DEL', KEYS[1], KEYS[2])
			if ARGV[2] ~= '' and tonumber(ARGV[2]) > tonumber(redis.call('GET', KEYS[3]) or '-1') then
			  redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[3])
			end
			return 1
			""", Long.class);

	/**
	 * KEYS gen, changed; ARGV position, initial. Bumps the region's generation unless it
	 * was bumped for this position or a later one (by any instance), creating it at
	 * {@code initial} when missing as the engine does. Returns 1 if bumped.
	 */
	static final RedisScript<Long> BUMP_GENERATION = RedisScript.of("""
			local applied = redis.call('GET', KEYS[2])
			if applied and applied >= ARGV[1] then return 0 end
			redis.call('SET', KEYS[2], ARGV[1])
			if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[2]) end
			redis.call('INCR', KEYS[1])
			return 1
			""", Long.class);

	private ChangeScripts() {
	}

}
