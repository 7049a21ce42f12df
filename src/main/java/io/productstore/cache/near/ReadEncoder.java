package io.productstore.cache.near;

import io.productstore.cache.CacheLevel;
import io.productstore.cache.CacheLookup;
import io.productstore.cache.CacheOutcome;
import io.productstore.cache.CachedRead;
import io.productstore.cache.redis.Sha256;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns what the next level served into the read a response needs: the value, its JSON
 * (written as the body as is) and, where weak entity tags need it, a digest of that JSON.
 */
final class ReadEncoder {

	/** Bytes of the SHA-256 digest kept in a weak entity tag. */
	private static final int DIGEST_BYTES = 12;

	private final JsonMapper jsonMapper;

	ReadEncoder(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	/** Digests only where weak entity tags need them (items are tagged by version). */
	<T> CachedRead<T> encoded(CacheLookup<T> lookup, boolean digested) {
		CacheLevel level = (lookup.outcome() == CacheOutcome.HIT) ? CacheLevel.REDIS : CacheLevel.ORIGIN;
		if (lookup.value() == null) {
			return new CachedRead<>(null, null, null, lookup.outcome(), level);
		}
		byte[] json = this.jsonMapper.writeValueAsBytes(lookup.value());
		return new CachedRead<>(lookup.value(), json, digested ? Sha256.hex(json, DIGEST_BYTES) : null,
				lookup.outcome(), level);
	}

	/** The same read as served from memory later: a hit at the near level. */
	static <T> CachedRead<T> fromMemory(CachedRead<T> read) {
		return new CachedRead<>(read.value(), read.json(), read.digest(), CacheOutcome.HIT, CacheLevel.NEAR);
	}

}
