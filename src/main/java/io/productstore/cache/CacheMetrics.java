package io.productstore.cache;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The engine's Micrometer meters ({@code productstore.cache.*}), shared by its levels;
 * their totals are what {@code GET /api/cache/stats} reports.
 */
public final class CacheMetrics {

	private final Counter hits;

	private final Counter misses;

	private final Counter bypasses;

	private final Counter originReads;

	private final Counter lockWaits;

	private final Counter lockTimeouts;

	private final Counter loadsJoined;

	private final Counter staleWritesRejected;

	private final Counter evictions;

	private final Counter errors;

	private final Counter earlyRefreshes;

	private final Counter nearHits;

	private final Counter redisReads;

	private final Counter originServed;

	private final Timer redisLatency;

	public CacheMetrics(MeterRegistry registry) {
		this.hits = counter(registry, "hits", "Reads served from Redis");
		this.misses = counter(registry, "misses", "Reads that found no entry and waited for an origin load");
		this.bypasses = counter(registry, "bypasses", "Reads that skipped the cache");
		this.originReads = counter(registry, "origin.reads", "Origin reads made to fill the cache");
		this.lockWaits = counter(registry, "lock.waits", "Loads that waited for another holder of the lock");
		this.lockTimeouts = counter(registry, "lock.timeouts", "Waits that gave up and read the origin themselves");
		this.loadsJoined = counter(registry, "loads.joined",
				"Reads that shared a load of the same entry already running in this instance");
		this.staleWritesRejected = counter(registry, "stale.writes.rejected",
				"Cache stores refused because a write happened since the load began");
		this.evictions = counter(registry, "evictions", "Entries removed by writes, evictions and clears");
		this.errors = counter(registry, "errors", "Redis or decoding errors the engine recovered from");
		this.earlyRefreshes = counter(registry, "early.refreshes",
				"Entries refreshed in the background shortly before they expire");
		this.nearHits = level(registry, "near");
		this.redisReads = level(registry, "redis");
		this.originServed = level(registry, "origin");
		this.redisLatency = Timer.builder("productstore.cache.redis.latency")
			.description("Latency of the engine's Redis calls")
			.publishPercentileHistogram()
			.register(registry);
	}

	public void recordRedis(long nanos) {
		this.redisLatency.record(nanos, TimeUnit.NANOSECONDS);
	}

	/** Counts a read served through Redis (or around it) by how it was served. */
	public void count(CacheOutcome outcome) {
		switch (outcome) {
			case HIT -> {
				this.hits.increment();
				this.redisReads.increment();
			}
			case MISS -> {
				this.misses.increment();
				this.originServed.increment();
			}
			case BYPASS -> {
				this.bypasses.increment();
				this.originServed.increment();
			}
		}
	}

	/** Counts a read served from this instance's memory (a HIT at the near level). */
	public void nearHit() {
		this.nearHits.increment();
	}

	public void originRead() {
		this.originReads.increment();
	}

	public void lockWait() {
		this.lockWaits.increment();
	}

	public void lockTimeout() {
		this.lockTimeouts.increment();
	}

	public void loadJoined() {
		this.loadsJoined.increment();
	}

	public long loadsJoined() {
		return (long) this.loadsJoined.count();
	}

	public void staleWriteRejected() {
		this.staleWritesRejected.increment();
	}

	public void evicted(long entries) {
		this.evictions.increment(entries);
	}

	public void error() {
		this.errors.increment();
	}

	public void earlyRefresh() {
		this.earlyRefreshes.increment();
	}

	public long nearHits() {
		return (long) this.nearHits.count();
	}

	public long redisHits() {
		return (long) this.hits.count();
	}

	public long misses() {
		return (long) this.misses.count();
	}

	public long originReads() {
		return (long) this.originReads.count();
	}

	public long lockWaits() {
		return (long) this.lockWaits.count();
	}

	public long staleWritesRejected() {
		return (long) this.staleWritesRejected.count();
	}

	public long errors() {
		return (long) this.errors.count();
	}

	public long earlyRefreshes() {
		return (long) this.earlyRefreshes.count();
	}

	private static Counter level(MeterRegistry registry, String level) {
		return Counter.builder("productstore.cache.reads")
			.description("Cacheable reads by the level that served them: near (memory), redis or origin")
			.tag("level", level)
			.register(registry);
	}

	private static Counter counter(MeterRegistry registry, String name, String description) {
		return Counter.builder("productstore.cache." + name).description(description).register(registry);
	}

}
