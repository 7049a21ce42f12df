package io.productstore.cache.changes;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.productstore.cache.redis.CacheKeys;
import io.productstore.cache.redis.RedisCacheStore;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The resume position of each region's change stream in Redis
 * ({@code <prefix><region>:changes}), shared by every instance: it says how far the
 * changes have been applied to Redis, by whichever instance, which is what a restarting
 * instance (with an empty near cache) needs to know. It only moves forward.
 */
final class ResumePositions {

	/**
	 * KEYS position; ARGV stored position, its position (fixed width). Keeps the later of
	 * the stored and the given position, so instances that lag behind never move it back;
	 * the same position confirmed again replaces it.
	 */
	private static final RedisScript<Long> ADVANCE = RedisScript.of("""
			local current = redis.call('GET', KEYS[1])
			if current and string.sub(current, 1, #ARGV[2]) > ARGV[2] then return 0 end
			redis.call('SET', KEYS[1], ARGV[1])
			return 1
			""", Long.class);

	private final CacheKeys keys;

	private final RedisCacheStore store;

	ResumePositions(CacheKeys keys, RedisCacheStore store) {
		this.keys = keys;
		this.store = store;
	}

	/**
	 * The stored position of a region.
	 * @param region the region
	 * @return the position; empty if none is stored or what is stored cannot be read
	 */
	Mono<StoredPosition> load(String region) {
		return this.store.get(this.keys.changeStreamPosition(region))
			.mapNotNull((stored) -> StoredPosition.decode(new String(stored, StandardCharsets.UTF_8)));
	}

	/**
	 * Whether Redis holds nothing of a region in the current epoch (a first start).
	 * Scans, but stops at the first key found; asked only when no position is stored.
	 * @param current the keys of the current epoch
	 * @param region the region
	 * @return whether no key was found
	 */
	Mono<Boolean> regionEmpty(CacheKeys current, String region) {
		return this.store.scan(current.regionPattern(region)).hasElements().map((found) -> !found);
	}

	/**
	 * Stores a position unless a later one is stored.
	 * @param region the region
	 * @param position where every change up to its confirmation was applied
	 * @return completion
	 */
	Mono<Void> advance(String region, StoredPosition position) {
		return this.store
			.eval(ADVANCE, List.of(this.keys.changeStreamPosition(region)), bytes(position.encode()),
					bytes(ResumePoint.padded(position.point().position())))
			.then();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
