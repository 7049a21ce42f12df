package io.productstore.cache;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The engine's Micrometer meters ({@code productstore.cache.*}); also the source of
 * {@link CacheStats}.
 */
final class CacheMetrics {

	final Counter hits;

	final Counter misses;

	final Counter bypasses;

	final Counter originReads;

	final Counter lockWaits;

	final Counter lockTimeouts;

	final Counter staleWritesRejected;

	final Counter evictions;

	final Counter errors;

	private final Timer redisLatency;

	CacheMetrics(MeterRegistry registry) {
		this.hits = counter(registry, "hits", "Reads served from Redis");
		this.misses = counter(registry, "misses", "Reads that found no entry and waited for an origin load");
		this.bypasses = counter(registry, "bypasses", "Reads that skipped the cache");
		this.originReads = counter(registry, "origin.reads", "Origin reads made to fill the cache");
		this.lockWaits = counter(registry, "lock.waits", "Loads that waited for another holder of the lock");
		this.lockTimeouts = counter(registry, "lock.timeouts", "Waits that gave up and read the origin themselves");
		this.staleWritesRejected = counter(registry, "stale.writes.rejected",
				"Cache stores refused because a write happened since the load began");
		this.evictions = counter(registry, "evictions", "Entries removed by writes, evictions and clears");
		this.errors = counter(registry, "errors", "Redis or decoding errors the engine recovered from");
		this.redisLatency = Timer.builder("productstore.cache.redis.latency")
			.description("Latency of the engine's Redis calls")
			.publishPercentileHistogram()
			.register(registry);
	}

	void recordRedis(long nanos) {
		this.redisLatency.record(nanos, TimeUnit.NANOSECONDS);
	}

	void count(CacheOutcome outcome) {
		switch (outcome) {
			case HIT -> this.hits.increment();
			case MISS -> this.misses.increment();
			case BYPASS -> this.bypasses.increment();
		}
	}

	CacheStats snapshot(String circuitBreaker, long keys) {
		long hitCount = (long) this.hits.count();
		long missCount = (long) this.misses.count();
		double ratio = (hitCount + missCount == 0) ? 0.0 : (double) hitCount / (hitCount + missCount);
		return new CacheStats(hitCount, missCount, ratio, (long) this.originReads.count(),
				(long) this.lockWaits.count(), (long) this.staleWritesRejected.count(), (long) this.errors.count(),
				circuitBreaker, keys);
	}

	private static Counter counter(MeterRegistry registry, String name, String description) {
		return Counter.builder("productstore.cache." + name).description(description).register(registry);
	}

}
