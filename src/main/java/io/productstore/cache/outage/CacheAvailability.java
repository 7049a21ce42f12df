package io.productstore.cache.outage;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import com.github.benmanes.caffeine.cache.Ticker;
import io.productstore.cache.CacheAvailabilityChanged;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Whether the engine may serve from Redis now, and the journal of invalidations Redis has
 * missed. Available means: the last recovery succeeded and every invalidation since
 * reached Redis. Recording a missed invalidation and becoming unavailable happen together
 * (under the journal's lock), so once a write's {@code written} call has returned, either
 * Redis has its invalidation or no read is served from Redis until it has been replayed.
 */
final class CacheAvailability {

	private static final Log logger = LogFactory.getLog(CacheAvailability.class);

	private final InvalidationJournal journal;

	private final List<Consumer<CacheAvailabilityChanged>> listeners = new CopyOnWriteArrayList<>();

	private volatile boolean available;

	private final Ticker ticker;

	private volatile long unavailableSince;

	CacheAvailability(InvalidationJournal journal, Ticker ticker) {
		this.journal = journal;
		this.ticker = ticker;
		this.unavailableSince = ticker.read();
	}

	boolean available() {
		return this.available;
	}

	/** How long the cache has been unavailable, in nanoseconds (0 if available). */
	long unavailableNanos() {
		return this.available ? 0 : this.ticker.read() - this.unavailableSince;
	}

	InvalidationJournal journal() {
		return this.journal;
	}

	void addListener(Consumer<CacheAvailabilityChanged> listener) {
		this.listeners.add(listener);
	}

	void missedItem(String region, String id, Long version) {
		boolean changed;
		synchronized (this.journal) {
			this.journal.item(region, id, version);
			changed = set(false);
		}
		if (changed) {
			announce(new CacheAvailabilityChanged(false, "an invalidation could not reach Redis"));
		}
	}

	void missedGeneration(String region) {
		boolean changed;
		synchronized (this.journal) {
			this.journal.generation(region);
			changed = set(false);
		}
		if (changed) {
			announce(new CacheAvailabilityChanged(false, "an invalidation could not reach Redis"));
		}
	}

	void missedUnknown(String reason) {
		boolean changed;
		synchronized (this.journal) {
			this.journal.lostTrack();
			changed = set(false);
		}
		if (changed) {
			announce(new CacheAvailabilityChanged(false, reason));
		}
	}

	void unavailable(String reason) {
		boolean changed;
		synchronized (this.journal) {
			changed = set(false);
		}
		if (changed) {
			announce(new CacheAvailabilityChanged(false, reason));
		}
	}

	/**
	 * Becomes available unless invalidations were journaled meanwhile.
	 * @return what was journaled since the last drain, or null if the cache is available
	 */
	InvalidationJournal.Snapshot availableUnlessJournaled(String reason) {
		boolean changed;
		synchronized (this.journal) {
			if (!this.journal.isEmpty()) {
				return this.journal.drain();
			}
			changed = set(true);
		}
		if (changed) {
			announce(new CacheAvailabilityChanged(true, reason));
		}
		return null;
	}

	void announce(CacheAvailabilityChanged event) {
		if (event.available()) {
			logger.info("Serving from Redis again: " + event.reason());
		}
		else {
			logger.warn("Bypassing Redis: " + event.reason());
		}
		for (Consumer<CacheAvailabilityChanged> listener : this.listeners) {
			try {
				listener.accept(event);
			}
			catch (RuntimeException ex) {
				logger.warn("Cache availability listener failed", ex);
			}
		}
	}

	private boolean set(boolean available) {
		if (this.available == available) {
			return false;
		}
		if (!available) {
			this.unavailableSince = this.ticker.read();
		}
		this.available = available;
		return true;
	}

}
