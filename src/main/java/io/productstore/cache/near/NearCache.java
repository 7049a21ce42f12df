package io.productstore.cache.near;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.productstore.cache.CacheAvailabilityChanged;
import io.productstore.cache.CacheLookup;
import io.productstore.cache.CacheMetrics;
import io.productstore.cache.CachedRead;
import io.productstore.cache.NearCacheProperties;
import io.productstore.cache.redis.EarlyRefresh;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.event.EventListener;

/**
 * The first level of the cache: hot entries kept in this instance's memory (Caffeine,
 * bounded, short TTL) in their serialised form, so a hit costs a map lookup. Evicted by
 * every write of any instance through the {@link InvalidationBus}; cleared and not filled
 * while invalidations may be missed (see {@link NearFillGuard}). See
 * {@code docs/caching.md}.
 */
public final class NearCache {

	private static final Log logger = LogFactory.getLog(NearCache.class);

	private final boolean enabled;

	private final ReadEncoder encoder;

	private final CacheMetrics metrics;

	private final NearEarlyRefresh early;

	private final Ticker ticker;

	private final NearFillGuard guard = new NearFillGuard();

	private final Cache<String, NearEntry> entries;

	private final QueryGenerations queryGenerations = new QueryGenerations();

	private final LongAdder invalidations = new LongAdder();

	private final LongAdder suspensions = new LongAdder();

	public NearCache(NearCacheProperties properties, boolean cacheEnabled, JsonMapper jsonMapper, CacheMetrics metrics,
			EarlyRefresh early, MeterRegistry registry, Ticker ticker) {
		this.enabled = properties.enabled() && cacheEnabled;
		this.encoder = new ReadEncoder(jsonMapper);
		this.metrics = metrics;
		this.early = new NearEarlyRefresh(early, properties.ttl(), ticker);
		this.ticker = ticker;
		this.entries = Caffeine.newBuilder()
			.maximumSize(properties.maximumSize())
			.expireAfterWrite(properties.ttl())
			.ticker(ticker)
			.build();
		Gauge.builder("productstore.cache.near.size", this.entries, Cache::estimatedSize)
			.description("Entries in this instance's near cache")
			.register(registry);
	}

	/**
	 * Reads an entry: from memory, else through the next level ({@code through}, called
	 * with whether to bypass it), filling memory with what that level served from Redis.
	 * @param <T> the value type
	 * @param entryKey the entry's near cache key
	 * @param stripe what invalidates it: its own key for an item, the region's query
	 * stripe for a query result
	 * @param digested whether the read needs a digest of its JSON (weak entity tags)
	 * @param bypass skip memory and the next level's entry, read the origin
	 * @param through the next level
	 * @return the value, its JSON and how it was served
	 */
	public <T> Mono<CachedRead<T>> read(String entryKey, String stripe, boolean digested, boolean bypass,
			Function<Boolean, Mono<CacheLookup<T>>> through) {
		String key = this.queryGenerations.key(entryKey, stripe);
		if (!this.enabled) {
			return through.apply(bypass).map((lookup) -> this.encoder.encoded(lookup, digested));
		}
		if (bypass) {
			// The caller wants the origin: this instance's copy goes too.
			this.guard.bump(stripe);
			this.entries.invalidate(key);
			return through.apply(true).map((lookup) -> this.encoder.encoded(lookup, digested));
		}
		CachedRead<T> held = held(key, stripe, digested, through);
		return (held != null) ? Mono.just(held) : fill(key, stripe, digested, through);
	}

	/**
	 * What this instance holds for an entry, counted as a hit as {@link #read} counts it;
	 * nothing is filled.
	 * @param <T> the value type
	 * @param entryKey the entry's key
	 * @param stripe the key whose generation guards it (the entry's own for an item)
	 * @param digested whether the entry carries a digest of its JSON (query results)
	 * @param through the next level, for an early refresh of the entry
	 * @return the read, served from memory, or {@code null} when none is held
	 */
	public <T> @Nullable CachedRead<T> heldRead(String entryKey, String stripe, boolean digested,
			Function<Boolean, Mono<CacheLookup<T>>> through) {
		if (!this.enabled) {
			return null;
		}
		return held(this.queryGenerations.key(entryKey, stripe), stripe, digested, through);
	}

	private <T> @Nullable CachedRead<T> held(String key, String stripe, boolean digested,
			Function<Boolean, Mono<CacheLookup<T>>> through) {
		NearEntry entry = this.entries.getIfPresent(key);
		if (entry == null) {
			return null;
		}
		this.metrics.nearHit();
		this.early.onHit(key, entry, () -> fill(key, stripe, digested, through));
		@SuppressWarnings("unchecked")
		CachedRead<T> read = (CachedRead<T>) entry.read();
		return read;
	}

	/**
	 * Every change drops what is held (a recovery or another instance's epoch bump may
	 * have made copies stale); becoming unavailable also stops filling until Redis is
	 * available again.
	 * @param event the change, published by the outage handling as an application event
	 */
	@EventListener
	public void availabilityChanged(CacheAvailabilityChanged event) {
		if (this.guard.available(event.available())) {
			suspend("Redis is unavailable (" + event.reason() + ")");
		}
		else {
			invalidateAll();
		}
	}

	/**
	 * Records whether invalidation messages are being received.
	 * @param subscribed whether the subscription is confirmed
	 */
	public void subscribed(boolean subscribed) {
		if (this.guard.subscribed(subscribed)) {
			suspend("the invalidation subscription dropped");
		}
		else if (subscribed && this.guard.active()) {
			logger.info("Near cache active: invalidations are received");
		}
	}

	public void invalidateItem(String key) {
		this.guard.bump(key);
		this.entries.invalidate(key);
		this.invalidations.increment();
	}

	/**
	 * Drops every query result of a stripe, in O(1) (see {@link QueryGenerations}).
	 * @param stripe what the keys of a region's query results start with
	 */
	public void invalidateQueries(String stripe) {
		this.guard.bump(stripe);
		this.queryGenerations.bump(stripe);
		this.invalidations.increment();
	}

	public void invalidateAll() {
		this.guard.bumpAll();
		this.entries.invalidateAll();
		this.invalidations.increment();
	}

	public boolean enabled() {
		return this.enabled;
	}

	public String state() {
		return !this.enabled ? "DISABLED" : this.guard.active() ? "ACTIVE" : "SUSPENDED";
	}

	public NearCacheStats stats() {
		return new NearCacheStats(state(), this.entries.estimatedSize(), this.invalidations.sum(),
				this.suspensions.sum());
	}

	private void suspend(String reason) {
		this.entries.invalidateAll();
		this.suspensions.increment();
		logger.warn("Near cache cleared and suspended: " + reason);
	}

	private <T> Mono<CachedRead<T>> fill(String key, String stripe, boolean digested,
			Function<Boolean, Mono<CacheLookup<T>>> through) {
		return Mono.defer(() -> {
			long stamp = this.guard.stamp(stripe);
			long start = this.ticker.read();
			return through.apply(false).map((lookup) -> {
				CachedRead<T> read = this.encoder.encoded(lookup, digested);
				// Only what Redis holds: Redis's invalidations are what keep memory
				// current.
				if (stamp != NearFillGuard.NO_FILL && lookup.inRedis()) {
					long now = this.ticker.read();
					NearEntry entry = new NearEntry(ReadEncoder.fromMemory(read), now, now - start);
					this.entries.put(key, entry);
					if (!this.guard.unchanged(stripe, stamp)) {
						this.entries.asMap().remove(key, entry);
					}
				}
				return read;
			});
		});
	}

}
