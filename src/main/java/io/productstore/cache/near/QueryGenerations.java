package io.productstore.cache.near;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A generation per query stripe (a region's list pages and counts), part of the near keys
 * of its query results: bumping it drops every result of the stripe in O(1), however many
 * are held, instead of walking the entries on the pub/sub thread for every write of every
 * instance. The results of older generations leave by TTL or size.
 */
final class QueryGenerations {

	private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();

	/**
	 * The key an entry is held under.
	 * @param entryKey the entry's near key
	 * @param stripe what invalidates it (an item is its own stripe)
	 * @return an item's key as it is, a query result's key with its stripe's generation
	 */
	String key(String entryKey, String stripe) {
		if (entryKey.equals(stripe)) {
			return entryKey;
		}
		AtomicLong generation = this.generations.get(stripe);
		return (generation != null) ? entryKey + "@" + generation.get() : entryKey;
	}

	void bump(String stripe) {
		this.generations.computeIfAbsent(stripe, (absent) -> new AtomicLong()).incrementAndGet();
	}

}
