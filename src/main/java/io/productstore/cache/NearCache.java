package io.productstore.cache;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The first level of the cache: hot entries of {@link ReadThroughCache} kept in this
 * instance's memory (Caffeine, bounded, short TTL) in their serialised form, so a hit
 * costs a map lookup. Evicted by every write of any instance through the
 * {@link InvalidationBus}; cleared and not filled while invalidations may be missed. See
 * {@code docs/caching.md}.
 */
@Component
public class NearCache {

	private static final Log logger = LogFactory.getLog(NearCache.class);

	private static final long MIN_LOAD_NANOS = Duration.ofMillis(1).toNanos();

	private final ReadThroughCache cache;

	private final NearCacheProperties properties;

	private final JsonMapper jsonMapper;

	private final CacheMetrics metrics;

	private final NearFillGuard guard = new NearFillGuard();

	private final Cache<String, NearEntry> entries;

	private final LongAdder invalidations = new LongAdder();

	private final LongAdder suspensions = new LongAdder();

	public NearCache(ReadThroughCache cache, NearCacheProperties properties, JsonMapper jsonMapper,
			MeterRegistry meterRegistry) {
		this.cache = cache;
		this.properties = properties;
		this.jsonMapper = jsonMapper;
		this.metrics = cache.metrics();
		this.entries = Caffeine.newBuilder()
			.maximumSize(properties.maximumSize())
			.expireAfterWrite(properties.ttl())
			.build();
		Gauge.builder("productstore.cache.near.size", this.entries, Cache::estimatedSize)
			.description("Entries in this instance's near cache")
			.register(meterRegistry);
		this.metrics.near(() -> new CacheStats.Near(state(), this.entries.estimatedSize(), this.invalidations.sum(),
				this.suspensions.sum()));
	}

	/**
	 * Reads one entity by id: memory, then {@link ReadThroughCache#item Redis}, then the
	 * origin.
	 * @param <T> the value type
	 * @param region the kind of entity
	 * @param id the id
	 * @param type the value type
	 * @param origin reads the entity from the origin
	 * @param bypass skip both levels, read the origin and refresh Redis
	 * @return the value, its JSON and how it was served
	 */
	public <T> Mono<CachedRead<T>> item(String region, String id, Class<T> type, Supplier<Mono<T>> origin,
			boolean bypass) {
		String key = this.cache.nearKeys().item(region, id).entry();
		return read(key, key, false, bypass, (skip) -> this.cache.item(region, id, type, origin, skip));
	}

	/**
	 * Reads a query result: memory, then {@link ReadThroughCache#query Redis}, then the
	 * origin.
	 * @param <T> the value type
	 * @param region the kind of entity
	 * @param kind list page or count
	 * @param canonicalQuery the query with its parameters sorted and normalised
	 * @param type the value type
	 * @param origin runs the query against the origin
	 * @param bypass skip both levels, read the origin and refresh Redis
	 * @return the value, its JSON and how it was served
	 */
	public <T> Mono<CachedRead<T>> query(String region, QueryKind kind, String canonicalQuery, Class<T> type,
			Supplier<Mono<T>> origin, boolean bypass) {
		String key = queryPrefix(region) + kind.name().toLowerCase(Locale.ROOT) + ":"
				+ CacheKeys.sha256(canonicalQuery);
		return read(key, queryPrefix(region), true, bypass,
				(skip) -> this.cache.query(region, kind, canonicalQuery, type, origin, skip));
	}

	/**
	 * Every change drops what is held (a recovery or another instance's epoch bump may
	 * have made copies stale); becoming unavailable also stops filling until Redis is
	 * available again.
	 */
	@EventListener
	void onAvailabilityChanged(CacheAvailabilityChanged event) {
		if (this.guard.available(event.available())) {
			suspend("Redis is unavailable (" + event.reason() + ")");
		}
		else {
			invalidateAll();
		}
	}

	void subscribed(boolean subscribed) {
		if (this.guard.subscribed(subscribed)) {
			suspend("the invalidation subscription dropped");
		}
		else if (subscribed && this.guard.active()) {
			logger.info("Near cache active: invalidations are received");
		}
	}

	void invalidateItem(String key) {
		this.guard.bump(key);
		this.entries.invalidate(key);
		this.invalidations.increment();
	}

	void invalidateQueries(String region) {
		String prefix = queryPrefix(region);
		this.guard.bump(prefix);
		this.entries.asMap().keySet().removeIf((key) -> key.startsWith(prefix));
		this.invalidations.increment();
	}

	void invalidateAll() {
		this.guard.bumpAll();
		this.entries.invalidateAll();
		this.invalidations.increment();
	}

	boolean enabled() {
		return this.properties.enabled() && this.cache.properties().enabled();
	}

	String state() {
		return !enabled() ? "DISABLED" : this.guard.active() ? "ACTIVE" : "SUSPENDED";
	}

	long size() {
		return this.entries.estimatedSize();
	}

	private void suspend(String reason) {
		this.entries.invalidateAll();
		this.suspensions.increment();
		logger.warn("Near cache cleared and suspended: " + reason);
	}

	private String queryPrefix(String region) {
		return this.cache.nearKeys().prefix() + region + ":q:";
	}

	@SuppressWarnings("unchecked")
	private <T> Mono<CachedRead<T>> read(String key, String stripe, boolean digested, boolean bypass,
			Function<Boolean, Mono<CacheLookup<T>>> through) {
		if (!enabled()) {
			return through.apply(bypass).map((lookup) -> encoded(lookup, digested));
		}
		if (bypass) {
			// The caller wants the origin: this instance's copy goes too.
			this.guard.bump(stripe);
			this.entries.invalidate(key);
			return through.apply(true).map((lookup) -> encoded(lookup, digested));
		}
		NearEntry entry = this.entries.getIfPresent(key);
		if (entry != null) {
			this.metrics.countNearHit();
			refreshEarly(key, stripe, digested, entry, through);
			return Mono.just((CachedRead<T>) entry.read());
		}
		return fill(key, stripe, digested, through);
	}

	private <T> Mono<CachedRead<T>> fill(String key, String stripe, boolean digested,
			Function<Boolean, Mono<CacheLookup<T>>> through) {
		return Mono.defer(() -> {
			long stamp = this.guard.stamp(stripe);
			long start = System.nanoTime();
			return through.apply(false).map((lookup) -> {
				CachedRead<T> read = encoded(lookup, digested);
				// A bypass outcome means Redis failed: its value is not known to Redis.
				if (stamp != NearFillGuard.NO_FILL && lookup.outcome() != CacheOutcome.BYPASS) {
					long now = System.nanoTime();
					NearEntry entry = new NearEntry(new CachedRead<>(read.value(), read.json(), read.digest(),
							CacheOutcome.HIT, CacheLevel.NEAR), now, now - start);
					this.entries.put(key, entry);
					if (!this.guard.unchanged(stripe, stamp)) {
						this.entries.asMap().remove(key, entry);
					}
				}
				return read;
			});
		});
	}

	/**
	 * XFetch on near entries: one background re-read shortly before the entry expires.
	 */
	private <T> void refreshEarly(String key, String stripe, boolean digested, NearEntry entry,
			Function<Boolean, Mono<CacheLookup<T>>> through) {
		EarlyRefresh early = this.cache.earlyRefresh();
		long expiry = entry.filledAt() + this.properties.ttl().toNanos();
		long delta = Math.max(entry.loadNanos(), MIN_LOAD_NANOS);
		if (early.enabled() && EarlyRefresh.due(System.nanoTime(), delta, expiry, early.beta(), EarlyRefresh.random())
				&& entry.refreshing().compareAndSet(false, true)) {
			fill(key, stripe, digested, through).subscribe(null, (ex) -> logger.debug("Near refresh failed: " + ex));
		}
	}

	/** Digests only where weak entity tags need them (items are tagged by version). */
	private <T> CachedRead<T> encoded(CacheLookup<T> lookup, boolean digested) {
		CacheLevel level = (lookup.outcome() == CacheOutcome.HIT) ? CacheLevel.REDIS : CacheLevel.ORIGIN;
		if (lookup.value() == null) {
			return new CachedRead<>(null, null, null, lookup.outcome(), level);
		}
		byte[] json = this.jsonMapper.writeValueAsBytes(lookup.value());
		return new CachedRead<>(lookup.value(), json, digested ? digest(json) : null, lookup.outcome(), level);
	}

	static String digest(byte[] json) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(json);
			return HexFormat.of().formatHex(hash, 0, 12);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * An entry in memory: the read as served from here, and when and how fast it came.
	 */
	private record NearEntry(CachedRead<?> read, long filledAt, long loadNanos, AtomicBoolean refreshing) {

		NearEntry(CachedRead<?> read, long filledAt, long loadNanos) {
			this(read, filledAt, loadNanos, new AtomicBoolean());
		}

	}

}
