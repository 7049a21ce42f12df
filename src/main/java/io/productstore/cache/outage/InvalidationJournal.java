package io.productstore.cache.outage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The invalidations that could not reach Redis, kept in memory until the recovery replays
 * them: one entry per item (its highest version) and one per region whose list/count
 * generation needs a bump. Bounded: past {@code app.cache.resilience.journal-size} items
 * it only remembers that it overflowed, and the recovery bumps the global epoch instead.
 * Thread-safe; callers synchronise on it to make "record and mark unsafe" atomic.
 */
final class InvalidationJournal {

	private final int capacity;

	private final Map<String, Item> items = new LinkedHashMap<>();

	private final Set<String> regions = new LinkedHashSet<>();

	private boolean overflowed;

	InvalidationJournal(int capacity) {
		this.capacity = capacity;
	}

	synchronized void item(String region, String id, Long version) {
		String key = region + '\u0000' + id;
		Item previous = this.items.get(key);
		if (previous == null && this.items.size() >= this.capacity) {
			this.overflowed = true;
			return;
		}
		// A removal without a version always applies, so it wins over versioned ones.
		Long merged = (previous != null)
				? ((previous.version() != null && version != null) ? Math.max(previous.version(), version) : null)
				: version;
		this.items.put(key, new Item(region, id, merged));
	}

	synchronized void generation(String region) {
		this.regions.add(region);
	}

	/**
	 * Records that invalidations were missed without knowing which: like an overflow, the
	 * recovery bumps the global epoch.
	 */
	synchronized void lostTrack() {
		this.overflowed = true;
	}

	synchronized boolean isEmpty() {
		return this.items.isEmpty() && this.regions.isEmpty() && !this.overflowed;
	}

	synchronized int size() {
		return this.items.size() + this.regions.size();
	}

	synchronized boolean overflowed() {
		return this.overflowed;
	}

	/** Takes everything recorded so far; later records go into a fresh journal. */
	synchronized Snapshot drain() {
		Snapshot snapshot = new Snapshot(new ArrayList<>(this.items.values()), new ArrayList<>(this.regions),
				this.overflowed);
		this.items.clear();
		this.regions.clear();
		this.overflowed = false;
		return snapshot;
	}

	/** Puts back what a failed replay did not apply (it is safe to replay twice). */
	synchronized void restore(Snapshot snapshot) {
		snapshot.items().forEach((item) -> item(item.region(), item.id(), item.version()));
		this.regions.addAll(snapshot.regions());
		this.overflowed |= snapshot.overflowed();
	}

	/** One item to remove from Redis, with the version to record (null: none). */
	record Item(String region, String id, Long version) {

	}

	/** The journal's content at one moment. */
	record Snapshot(List<Item> items, List<String> regions, boolean overflowed) {

	}

}
