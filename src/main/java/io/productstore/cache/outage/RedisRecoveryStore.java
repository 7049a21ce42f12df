package io.productstore.cache.outage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.productstore.cache.redis.CacheKeys;
import io.productstore.cache.redis.RedisCacheStore;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The {@link RecoveryStore} in Redis: the engine's store (so the calls are timed and
 * guarded like every other) and the two Lua scripts of the epoch.
 */
final class RedisRecoveryStore implements RecoveryStore {

	/**
	 * KEYS epoch; ARGV local. One script, so that no other instance's bump can fall
	 * between the read and the write-back.
	 */
	/** KEYS run ids; ARGV current. Sets the current ids, returns the previous ones. */
	private static final RedisScript<byte[]> RECORD_RUN_IDS = RedisScript.of("""
			local previous = redis.call('GET', KEYS[1]) or ''
			redis.call('SET', KEYS[1], ARGV[1])
			return previous
			""", byte[].class);

	private static final RedisScript<Long> SYNC_EPOCH = RedisScript.of("""
			local epoch = tonumber(redis.call('GET', KEYS[1]) or '0')
			local known = tonumber(ARGV[1])
			if known > epoch then
			  redis.call('SET', KEYS[1], ARGV[1])
			  return known
			end
			return epoch
			""", Long.class);

	/**
	 * KEYS epoch; ARGV local, at least (the clock in ms, so that even after the key was
	 * lost everywhere the new epoch is above every epoch used before).
	 */
	private static final RedisScript<Long> BUMP_EPOCH = RedisScript.of("""
			local epoch = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), tonumber(ARGV[1]))
			local bumped = math.max(epoch + 1, tonumber(ARGV[2]))
			redis.call('SET', KEYS[1], string.format('%d', bumped))
			return bumped
			""", Long.class);

	private final RedisCacheStore redis;

	RedisRecoveryStore(RedisCacheStore redis) {
		this.redis = redis;
	}

	@Override
	public Mono<String> runIds() {
		return this.redis.runIds();
	}

	@Override
	public Mono<String> recordRunIds(String key, String ids) {
		return this.redis.eval(RECORD_RUN_IDS, List.of(key), ids.getBytes(StandardCharsets.UTF_8))
			.map((previous) -> new String(previous, StandardCharsets.UTF_8));
	}

	@Override
	public Mono<Long> syncEpoch(String key, long local) {
		return this.redis.eval(SYNC_EPOCH, List.of(key), bytes(local));
	}

	@Override
	public Mono<Long> bumpEpoch(String key, long local, long atLeast) {
		return this.redis.eval(BUMP_EPOCH, List.of(key), bytes(local), bytes(atLeast));
	}

	@Override
	public Mono<Boolean> removeItem(CacheKeys.ItemKeys keys, Long version, Duration ttl) {
		return this.redis.written(keys, null, ttl, version, ttl);
	}

	@Override
	public Mono<Long> bumpGeneration(String key) {
		return this.redis.bumpGeneration(key);
	}

	private static byte[] bytes(long number) {
		return Long.toString(number).getBytes(StandardCharsets.UTF_8);
	}

}
