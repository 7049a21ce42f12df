package io.productstore.cache.outage;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import io.productstore.cache.redis.CacheKeys;
import io.productstore.cache.redis.RedisCacheStore;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The global cache epoch: part of every key ({@code <prefix>E<epoch>:...}, nothing for
 * epoch 0), stored in Redis at {@code <prefix>epoch} and cached here. Bumping it makes
 * every entry written before unreachable at once, which is how the recovery deals with a
 * Redis that may hold entries older than MongoDB and no complete list of them.
 */
final class CacheEpoch {

	/**
	 * KEYS epoch; ARGV local. Reads the epoch, writing back the local one if Redis lost
	 * or lowered it (eviction, a restart without persistence): the epoch never goes back
	 * to a number whose entries may still live.
	 */
	private static final RedisScript<Long> SYNC = RedisScript.of("""
			local epoch = tonumber(redis.call('GET', KEYS[1]) or '0')
			local known = tonumber(ARGV[1])
			if known > epoch then
			  redis.call('SET', KEYS[1], ARGV[1])
			  return known
			end
			return epoch
			""", Long.class);

	/**
	 * KEYS epoch; ARGV local, clock (ms). Bumps to at least the clock, so that even after
	 * the key was lost everywhere the new epoch is above every epoch used before.
	 */
	private static final RedisScript<Long> BUMP = RedisScript.of("""
			local epoch = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), tonumber(ARGV[1]))
			local bumped = math.max(epoch + 1, tonumber(ARGV[2]))
			redis.call('SET', KEYS[1], string.format('%d', bumped))
			return bumped
			""", Long.class);

	private final CacheKeys namespace;

	private final Clock clock;

	private volatile Current current;

	private volatile boolean known;

	CacheEpoch(CacheKeys namespace, Clock clock) {
		this.namespace = namespace;
		this.clock = clock;
		this.current = new Current(0, namespace);
	}

	/** Whether the epoch has been read from Redis once: keys can be built. */
	boolean known() {
		return this.known;
	}

	long value() {
		return this.current.epoch();
	}

	/** The keys of the current epoch. */
	CacheKeys keys() {
		return this.current.keys();
	}

	/**
	 * Reads the epoch from Redis.
	 * @return whether it differs from the one known here
	 */
	Mono<Boolean> sync(RedisCacheStore store) {
		return store.eval(SYNC, List.of(this.namespace.epoch()), bytes(value())).map(this::set);
	}

	Mono<Long> bump(RedisCacheStore store) {
		return store.eval(BUMP, List.of(this.namespace.epoch()), bytes(value()), bytes(this.clock.millis()))
			.doOnNext(this::set);
	}

	private synchronized boolean set(long epoch) {
		this.known = true;
		if (epoch == this.current.epoch()) {
			return false;
		}
		this.current = new Current(epoch, this.namespace.forEpoch(epoch));
		return true;
	}

	private static byte[] bytes(long number) {
		return Long.toString(number).getBytes(StandardCharsets.UTF_8);
	}

	private record Current(long epoch, CacheKeys keys) {

	}

}
