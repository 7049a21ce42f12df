package io.productstore.cache.changes;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The meters of one collection's change stream ({@code productstore.cache.changes.*},
 * tagged with the collection), and the totals the stats and health report.
 */
final class ChangeStreamMetrics {

	private static final String PREFIX = "productstore.cache.changes.";

	private final MeterRegistry registry;

	private final String collection;

	private final Map<String, Counter> events = new ConcurrentHashMap<>();

	private final Map<String, Counter> epochBumps = new ConcurrentHashMap<>();

	private final Counter items;

	private final Counter duplicates;

	private final Counter queries;

	private final Counter resumes;

	private final Timer lag;

	ChangeStreamMetrics(MeterRegistry registry, String collection) {
		this.registry = registry;
		this.collection = collection;
		this.items = invalidations("item");
		this.duplicates = invalidations("already-applied");
		this.queries = invalidations("queries");
		this.resumes = Counter.builder(PREFIX + "resumes")
			.description("Change streams reopened after a disconnect or restart, from a resume token")
			.tag("collection", collection)
			.register(registry);
		this.lag = Timer.builder(PREFIX + "lag")
			.description("From a change in MongoDB (its wall time, else its cluster time) to its invalidation")
			.tag("collection", collection)
			.publishPercentileHistogram()
			.publishPercentiles(0.5, 0.99)
			.register(registry);
	}

	void received(ChangeEvent event) {
		this.events
			.computeIfAbsent(event.operation(),
					(operation) -> Counter.builder(PREFIX + "events")
						.description("Change stream events received")
						.tag("collection", this.collection)
						.tag("operation", operation)
						.register(this.registry))
			.increment();
	}

	void itemInvalidated(boolean byThisInstance) {
		(byThisInstance ? this.items : this.duplicates).increment();
	}

	void queriesInvalidated(boolean byThisInstance) {
		(byThisInstance ? this.queries : this.duplicates).increment();
	}

	void resumed() {
		this.resumes.increment();
	}

	/** An epoch bump because changes may have been missed, by reason. */
	void epochBump(String reason) {
		this.epochBumps
			.computeIfAbsent(reason, (key) -> Counter.builder(PREFIX + "epoch.bumps")
				.description("Epoch bumps because changes may have been missed (history lost, no resume position, "
						+ "a dropped collection)")
				.tag("collection", this.collection)
				.tag("reason", key)
				.register(this.registry))
			.increment();
	}

	void lag(Duration lag) {
		this.lag.record(lag.isNegative() ? Duration.ZERO : lag);
	}

	long events() {
		return this.events.values().stream().mapToLong((counter) -> (long) counter.count()).sum();
	}

	long invalidations() {
		return (long) (this.items.count() + this.queries.count());
	}

	long resumes() {
		return (long) this.resumes.count();
	}

	long epochBumps() {
		return this.epochBumps.values().stream().mapToLong((counter) -> (long) counter.count()).sum();
	}

	Timer lagTimer() {
		return this.lag;
	}

	private Counter invalidations(String kind) {
		return Counter.builder(PREFIX + "invalidations")
			.description("Invalidations for changes: an entry evicted (item) or a region's lists and counts "
					+ "(queries) by this instance, or a change another instance had applied first")
			.tag("collection", this.collection)
			.tag("kind", kind)
			.register(this.registry);
	}

}
