package io.productstore.idempotency;

import java.util.List;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts of idempotency records: each reads and changes one record (a hash) in
 * one step, so two instances claiming one key can never both be granted it. The lease is
 * measured on Redis's clock ({@code TIME}), the one clock every instance shares.
 */
final class IdempotencyScripts {

	/**
	 * KEYS[1] the record; ARGV fingerprint, token, resource id for a new record, lease
	 * (ms), time to live (ms). Answers {@code granted <resource id>}, {@code performed
	 * <status> <location> <etag> <body>}, {@code running} or {@code mismatch}. A lapsed
	 * or released lease is taken over with the record's resource id.
	 */
	@SuppressWarnings("rawtypes")
	static final RedisScript<List> CLAIM = RedisScript.of("""
			local now = redis.call('TIME')
			local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
			local record = redis.call('HMGET', KEYS[1], 'fingerprint', 'state', 'leaseUntil', 'resource',
			    'status', 'location', 'etag', 'body')
			if not record[1] then
			  redis.call('HSET', KEYS[1], 'fingerprint', ARGV[1], 'state', 'running', 'owner', ARGV[2],
			      'leaseUntil', nowMs + tonumber(ARGV[4]), 'resource', ARGV[3])
			  redis.call('PEXPIRE', KEYS[1], ARGV[5])
			  return {'granted', ARGV[3]}
			end
			if record[1] ~= ARGV[1] then
			  return {'mismatch'}
			end
			if record[2] == 'done' then
			  return {'performed', record[5], record[6] or '', record[7] or '', record[8]}
			end
			if tonumber(record[3]) > nowMs then
			  return {'running'}
			end
			redis.call('HSET', KEYS[1], 'owner', ARGV[2], 'leaseUntil', nowMs + tonumber(ARGV[4]))
			return {'granted', record[4]}
			""", List.class);

	/**
	 * KEYS[1] the record; ARGV fingerprint, resource id, status, location, etag, body,
	 * time to live (ms). Records the response unless one is recorded already (a request
	 * that took over a lapsed lease may finish second): the first answer stays the one
	 * replayed. Whoever completes holds the same resource id, so either answer names the
	 * one resource.
	 */
	static final RedisScript<Long> COMPLETE = RedisScript.of("""
			if redis.call('HGET', KEYS[1], 'state') == 'done' then
			  return 0
			end
			redis.call('HSET', KEYS[1], 'fingerprint', ARGV[1], 'resource', ARGV[2], 'state', 'done',
			    'status', ARGV[3], 'location', ARGV[4], 'etag', ARGV[5], 'body', ARGV[6])
			redis.call('HDEL', KEYS[1], 'owner', 'leaseUntil')
			redis.call('PEXPIRE', KEYS[1], ARGV[7])
			return 1
			""", Long.class);

	/**
	 * KEYS[1] the record; ARGV token. Ends the lease of a request that failed, if it
	 * still holds it, so that a retry is granted the key at once (with the same resource
	 * id) instead of waiting for the lease to lapse.
	 */
	static final RedisScript<Long> RELEASE = RedisScript.of(
			"""
					if redis.call('HGET', KEYS[1], 'state') == 'running' and redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then
					  redis.call('HSET', KEYS[1], 'leaseUntil', 0)
					  return 1
					end
					return 0
					""",
			Long.class);

	private IdempotencyScripts() {
	}

}
