package io.productstore.cache;

import java.time.Duration;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * The Redis-first read-through cache: reads of one entity by id and of query results
 * (list pages, counts) go to Redis first and to the origin on a miss, with stampede
 * protection, stale-set prevention and O(1) invalidation on writes. See
 * {@code docs/caching.md}.
 */
@Component
public class ReadThroughCache {

	private static final Log logger = LogFactory.getLog(ReadThroughCache.class);

	private final CacheProperties properties;

	private final CacheKeys keys;

	private final CacheCodec codec;

	private final CacheMetrics metrics;

	private final RedisCacheStore store;

	private final RedisCacheStore adminStore;

	private final LeasedLoader loader;

	private final InFlightLoads inFlight = new InFlightLoads();

	private final CacheWrites writes;

	private final CacheResilience resilience;

	/**
	 * An engine with {@link CacheResilienceProperties#lenient() lenient} resilience
	 * settings and no heartbeat, for tests and tools.
	 */
	public ReadThroughCache(ReactiveRedisConnectionFactory connectionFactory, JsonMapper jsonMapper,
			CacheProperties properties, MeterRegistry meterRegistry) {
		this(connectionFactory, jsonMapper, properties, meterRegistry, new CacheResilience(connectionFactory,
				properties, CacheResilienceProperties.lenient(), meterRegistry, null));
	}

	@Autowired
	public ReadThroughCache(ReactiveRedisConnectionFactory connectionFactory, JsonMapper jsonMapper,
			CacheProperties properties, MeterRegistry meterRegistry, CacheResilience resilience) {
		this.properties = properties;
		this.keys = new CacheKeys(properties.keyPrefix());
		this.codec = new CacheCodec(jsonMapper, (int) properties.compressionThreshold().toBytes());
		this.metrics = new CacheMetrics(meterRegistry);
		this.resilience = resilience;
		this.store = new RedisCacheStore(connectionFactory, this.metrics, resilience.readGate());
		this.adminStore = new RedisCacheStore(connectionFactory, this.metrics, resilience.adminGate());
		this.loader = new LeasedLoader(this.store, this.codec, this.metrics, properties.lock());
		RedisCacheStore writeStore = new RedisCacheStore(connectionFactory, this.metrics, resilience.writeGate());
		this.writes = new CacheWrites(properties, resilience, this.codec, this.metrics, writeStore, this.inFlight);
	}

	/**
	 * Reads one entity by id, key {@code <prefix><region>:{<id>}}. An empty loader result
	 * is cached as a negative entry for {@code app.cache.ttl.negative}.
	 * @param <T> the value type
	 * @param region the kind of entity, {@code [a-z][a-z0-9-]*}
	 * @param id the id (any text: it is escaped)
	 * @param type the value type
	 * @param origin reads the entity from the origin; empty if there is none
	 * @param bypass skip the cached entry, read the origin and refresh the entry
	 * @return the value (null for a negative entry) and how it was served
	 */
	public <T> Mono<CacheLookup<T>> item(String region, String id, Class<T> type, Supplier<Mono<T>> origin,
			boolean bypass) {
		if (!this.properties.enabled()) {
			return direct(origin).doOnNext(this::count);
		}
		String fallbackKey = this.keys.item(region, id).entry();
		return this.resilience
			.whenAvailable(() -> read(keys().item(region, id).entryKeys(), fallbackKey, type, origin, bypass,
					this.properties.ttl().item()), () -> unavailable(fallbackKey, origin))
			.doOnNext(this::count);
	}

	/**
	 * Reads a query result (a list page or a count) for a canonical query string, keyed
	 * by its digest under the region's current generation.
	 * @param <T> the value type
	 * @param region the kind of entity
	 * @param kind list page or count
	 * @param canonicalQuery the query with its parameters sorted and normalised
	 * @param type the value type
	 * @param origin runs the query against the origin
	 * @param bypass skip the cached entry, read the origin and refresh the entry
	 * @return the value and how it was served
	 */
	public <T> Mono<CacheLookup<T>> query(String region, QueryKind kind, String canonicalQuery, Class<T> type,
			Supplier<Mono<T>> origin, boolean bypass) {
		if (!this.properties.enabled()) {
			return direct(origin).doOnNext(this::count);
		}
		Duration ttl = (kind == QueryKind.LIST) ? this.properties.ttl().list() : this.properties.ttl().count();
		String fallbackKey = this.keys.generation(region) + ":" + CacheKeys.sha256(canonicalQuery);
		return this.resilience.whenAvailable(() -> {
			CacheKeys keys = keys();
			return this.store.generation(keys.generation(region))
				.flatMap((generation) -> read(keys.query(region, kind, generation, canonicalQuery), fallbackKey, type,
						origin, bypass, ttl))
				.onErrorResume(CacheUnavailableException.class, (ex) -> fallback(fallbackKey, ex, origin));
		}, () -> unavailable(fallbackKey, origin)).doOnNext(this::count);
	}

	/**
	 * Records a successful write of an entity: replaces its entry (or removes it when the
	 * value is null), cancels the lease of any load in flight so it cannot store an older
	 * value, and bumps the region's list/count generation. Never fails: Redis errors are
	 * logged and counted.
	 * @param region the kind of entity
	 * @param id the id
	 * @param newValueOrNull the entity as written, or null if it was deleted
	 * @return completion
	 */
	public Mono<Void> written(String region, String id, Object newValueOrNull) {
		return this.writes.written(region, id, newValueOrNull, null, true);
	}

	/**
	 * Like {@link #written(String, String, Object)}, but refuses to replace the entry
	 * with a version older than or equal to the last one written, so two writers whose
	 * cache updates arrive out of order leave the newer value.
	 * @param region the kind of entity
	 * @param id the id
	 * @param newValueOrNull the entity as written, or null if it was deleted
	 * @param version the entity's version after the write (of the deleted entity for a
	 * delete)
	 * @return completion
	 */
	public Mono<Void> written(String region, String id, Object newValueOrNull, long version) {
		return this.writes.written(region, id, newValueOrNull, version, true);
	}

	/**
	 * Drops one entity's entry (and cancels an in-flight load's lease); lists are kept.
	 * @param region the kind of entity
	 * @param id the id
	 * @return completion
	 */
	public Mono<Void> evict(String region, String id) {
		return this.writes.written(region, id, null, null, false);
	}

	/**
	 * Drops every key of this namespace by {@code SCAN MATCH <prefix>*} and
	 * {@code UNLINK}; never {@code FLUSHDB} or {@code KEYS}.
	 * @return the number of keys removed
	 */
	public Mono<Long> clear() {
		return this.adminStore.unlinkAll(this.adminStore.scan(this.keys.namespacePattern()))
			.doOnNext((count) -> this.metrics.evictions.increment(count))
			.doOnNext((count) -> logger.info("Cleared " + count + " cache keys under " + this.keys.prefix()));
	}

	/**
	 * Statistics of this instance, with the key count of the namespace.
	 * @return the statistics
	 */
	public Mono<CacheStats> stats() {
		String breaker = this.properties.enabled() ? this.resilience.state() : "DISABLED";
		return this.adminStore.scan(this.keys.namespacePattern())
			.count()
			.onErrorReturn(-1L)
			.map((count) -> this.metrics.snapshot(breaker, count));
	}

	public CacheProperties properties() {
		return this.properties;
	}

	/**
	 * The breaker, availability and listeners of this engine.
	 * @return the resilience of this engine
	 */
	public CacheResilience resilience() {
		return this.resilience;
	}

	/** The keys of the current epoch. */
	private CacheKeys keys() {
		return this.resilience.epochHolder().keys();
	}

	private <T> Mono<CacheLookup<T>> read(CacheKeys.EntryKeys entryKeys, String fallbackKey, Class<T> type,
			Supplier<Mono<T>> origin, boolean bypass, Duration ttl) {
		Duration negativeTtl = this.properties.ttl().negative();
		Mono<CacheLookup<T>> lookup = bypass ? this.loader.refresh(entryKeys, type, origin, ttl, negativeTtl)
				: this.store.get(entryKeys.entry())
					.flatMap((entry) -> hitOrDrop(entryKeys, entry, type))
					.switchIfEmpty(Mono.defer(() -> this.inFlight.join(entryKeys.entry(),
							() -> this.loader.load(entryKeys, type, origin, ttl, negativeTtl))));
		return lookup.onErrorResume(CacheUnavailableException.class, (ex) -> fallback(fallbackKey, ex, origin));
	}

	/**
	 * Decodes a hit; an entry that cannot be read any more (corrupt, or written for a
	 * type that has changed incompatibly) is dropped and counted, and the read becomes a
	 * miss that stores a fresh entry.
	 */
	private <T> Mono<CacheLookup<T>> hitOrDrop(CacheKeys.EntryKeys entryKeys, byte[] entry, Class<T> type) {
		try {
			return Mono.just(new CacheLookup<>(this.codec.decode(entry, type), CacheOutcome.HIT));
		}
		catch (RuntimeException ex) {
			this.metrics.errors.increment();
			logger.warn("Dropping unreadable cache entry " + entryKeys.entry() + ": " + ex.getMessage());
			return this.store.delete(entryKeys.entry()).then(Mono.empty());
		}
	}

	private <T> Mono<CacheLookup<T>> fallback(String key, CacheUnavailableException ex, Supplier<Mono<T>> origin) {
		if (!(ex.getCause() instanceof CacheResilience.GateClosedException)) {
			this.metrics.errors.increment();
			logger.warn("Cache read failed, reading the origin: " + ex.getMessage());
		}
		return unavailable(key, origin);
	}

	/**
	 * Reads the origin without Redis, still coalesced per key: a Redis outage must not
	 * turn into a herd on the origin.
	 */
	private <T> Mono<CacheLookup<T>> unavailable(String key, Supplier<Mono<T>> origin) {
		return this.inFlight.join(CacheWrites.fallbackKey(key), () -> direct(origin));
	}

	private <T> Mono<CacheLookup<T>> direct(Supplier<Mono<T>> origin) {
		return Mono.defer(() -> {
			this.metrics.originReads.increment();
			return origin.get();
		})
			.map((value) -> new CacheLookup<>(value, CacheOutcome.BYPASS))
			.defaultIfEmpty(new CacheLookup<>(null, CacheOutcome.BYPASS));
	}

	private void count(CacheLookup<?> lookup) {
		this.metrics.count(lookup.outcome());
	}

}
