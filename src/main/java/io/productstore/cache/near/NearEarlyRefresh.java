package io.productstore.cache.near;

import java.time.Duration;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Ticker;
import io.productstore.cache.redis.EarlyRefresh;
import reactor.core.publisher.Mono;

/**
 * XFetch on near entries: one background re-read shortly before an entry expires from
 * memory, through the same rule and the same one-at-a-time guard as Redis entries
 * ({@link EarlyRefresh}), in the near cache's time ({@link Ticker}).
 */
final class NearEarlyRefresh {

	private static final long MIN_LOAD_NANOS = Duration.ofMillis(1).toNanos();

	private final EarlyRefresh early;

	private final long ttlNanos;

	private final Ticker ticker;

	NearEarlyRefresh(EarlyRefresh early, Duration ttl, Ticker ticker) {
		this.early = early;
		this.ttlNanos = ttl.toNanos();
		this.ticker = ticker;
	}

	/**
	 * Called on every near hit: starts the refresh in the background when it is due.
	 * @param key the entry's near key
	 * @param entry the entry found in memory
	 * @param refresh re-reads the entry through the next level and fills memory
	 */
	void onHit(String key, NearEntry entry, Supplier<Mono<?>> refresh) {
		long expiry = entry.filledAt() + this.ttlNanos;
		long delta = Math.max(entry.loadNanos(), MIN_LOAD_NANOS);
		if (this.early.enabled()
				&& EarlyRefresh.due(this.ticker.read(), delta, expiry, this.early.beta(), EarlyRefresh.random())) {
			// Its own name in the refresh set: an item's near key equals its Redis key in
			// epoch 0, and the two levels refresh independently.
			this.early.start("near " + key, refresh);
		}
	}

}
