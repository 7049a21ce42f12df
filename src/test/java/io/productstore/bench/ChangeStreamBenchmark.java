package io.productstore.bench;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.productstore.cache.changes.ChangeStreams;
import io.productstore.embedded.EmbeddedMongoBackend;
import io.productstore.support.RedisServerProcess;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Invalidation from the change stream under a burst of direct writes: one instance of the
 * service (its own {@code redis-server} process and in-process MongoDB wire-protocol
 * server, loopback) with 1,000 products cached, then 10,000 {@code $inc} updates made
 * straight in MongoDB by 16 concurrent writers. Reports the lag from each change to its
 * invalidation (p50, p99, max, from the service's own timer), how long after the last
 * write the last change was applied, and how fast one instance drains a backlog of 10,000
 * changes made while its stream was stopped. Then checks every product is served with its
 * final stock. Run by {@code bench/change-stream.sh}; bounded by its timeout.
 */
public final class ChangeStreamBenchmark {

	private static final Duration MAX_DRAIN = Duration.ofSeconds(120);

	private ChangeStreamBenchmark() {
	}

	/**
	 * Runs the benchmark.
	 * @param args {@code --products=1000 --updates=10000 --writers=16} (the defaults)
	 */
	public static void main(String[] args) {
		Sizes sizes = Sizes.of(args);
		RedisServerProcess redis = RedisServerProcess.start("--appendonly", "no");
		MongoServer mongo = new MongoServer(EmbeddedMongoBackend.inMemory());
		mongo.bind("127.0.0.1", 0);
		String uri = "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort() + "/productstore";
		MongoClient writer = MongoClients.create(uri);
		try {
			// Written before the service starts: the stream sees only the burst.
			List<ObjectId> ids = seed(writer, sizes.products());
			try (ConfigurableApplicationContext service = start(uri, redis)) {
				new Run(service, writer, ids, sizes).run();
			}
		}
		finally {
			writer.close();
			redis.close();
			mongo.shutdownNow();
		}
		// Resilience4j's auto-transition scheduler is not a daemon thread.
		System.exit(0);
	}

	private static ConfigurableApplicationContext start(String uri, RedisServerProcess redis) {
		Map<String, String> properties = new LinkedHashMap<>();
		// Percentiles over the whole run, not the last two minutes.
		properties.put("management.metrics.distribution.expiry.productstore.cache.changes.lag", "30m");
		properties.put("logging.level.io.productstore.cache.changes", "INFO");
		return BenchmarkService.start(uri, redis, properties);
	}

	private static List<ObjectId> seed(MongoClient client, int count) {
		List<Document> products = new ArrayList<>();
		Instant now = Instant.now();
		for (int i = 0; i < count; i++) {
			products.add(new Document("_id", new ObjectId()).append("name", "Bench product " + i)
				.append("description", "")
				.append("category", "bench-" + (i % 10))
				.append("price", new Decimal128(BigDecimal.valueOf(10 + i)))
				.append("currency", "USD")
				.append("stock", 0)
				.append("tags", List.of())
				.append("images", List.of())
				.append("active", true)
				.append("wishlisted", false)
				.append("version", 0L)
				.append("createdAt", now)
				.append("updatedAt", now));
		}
		Mono.from(products(client).insertMany(products)).block();
		return products.stream().map((product) -> product.getObjectId("_id")).toList();
	}

	private static MongoCollection<Document> products(MongoClient client) {
		return client.getDatabase("productstore").getCollection("products");
	}

	/**
	 * The sizes of a run.
	 *
	 * @param products products cached
	 * @param updates direct updates per burst
	 * @param writers concurrent writers
	 */
	private record Sizes(int products, int updates, int writers) {

		static Sizes of(String[] args) {
			Map<String, Integer> values = BenchmarkService.arguments(args,
					Map.of("products", 1_000, "updates", 10_000, "writers", 16));
			return new Sizes(values.get("products"), values.get("updates"), values.get("writers"));
		}

	}

	/** The measured run against one started service. */
	private static final class Run {

		private final ConfigurableApplicationContext service;

		private final MongoCollection<Document> collection;

		private final List<ObjectId> ids;

		private final WebClient http;

		private final Timer lag;

		private final int products;

		private final int updates;

		private final int writers;

		Run(ConfigurableApplicationContext service, MongoClient writer, List<ObjectId> ids, Sizes sizes) {
			this.products = sizes.products();
			this.updates = sizes.updates();
			this.writers = sizes.writers();
			this.service = service;
			this.collection = products(writer);
			this.ids = ids;
			this.http = WebClient
				.create("http://127.0.0.1:" + service.getEnvironment().getRequiredProperty("local.server.port"));
			this.lag = service.getBean(MeterRegistry.class).get("productstore.cache.changes.lag").timer();
		}

		void run() {
			System.out.printf(
					"%d products, %d direct updates ($inc stock and version) by %d concurrent writers; "
							+ "%d cores, load average %s%n",
					this.products, this.updates, this.writers, Runtime.getRuntime().availableProcessors(),
					loadAverage());
			readAll(0);
			readAll(0);

			long start = System.nanoTime();
			burst();
			long written = System.nanoTime();
			long applied = awaitApplied(this.updates);
			HistogramSnapshot live = this.lag.takeSnapshot();
			System.out.printf(
					"Live burst: written in %.2f s (%.0f writes/s); last change applied %.0f ms after the "
							+ "last write; lag p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
					seconds(written - start), this.updates / seconds(written - start), (applied - written) / 1e6,
					percentile(live, 0.5), percentile(live, 0.99), live.max(TimeUnit.MILLISECONDS));
			int staleLive = readAll(this.updates / this.products);

			ChangeStreams streams = this.service.getBean(ChangeStreams.class);
			streams.stop();
			burst();
			long restarted = System.nanoTime();
			streams.start();
			long drained = awaitApplied(2L * this.updates);
			System.out.printf(
					"Backlog: %d changes made while the stream was stopped applied in %.2f s after it "
							+ "reopened: %.0f changes/s%n",
					this.updates, seconds(drained - restarted), this.updates / seconds(drained - restarted));
			int staleBacklog = readAll(2 * this.updates / this.products);

			System.out.println();
			System.out.println(
					"| scenario | changes | writes/s | lag p50 ms | lag p99 ms | lag max ms | last applied after last "
							+ "write | changes/s absorbed | stale reads after |");
			System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
			System.out.printf("| live burst | %d | %.0f | %.1f | %.1f | %.1f | %.0f ms | %.0f | %d |%n", this.updates,
					this.updates / seconds(written - start), percentile(live, 0.5), percentile(live, 0.99),
					live.max(TimeUnit.MILLISECONDS), (applied - written) / 1e6, this.updates / seconds(applied - start),
					staleLive);
			System.out.printf("| backlog after a stop | %d | - | - | - | - | - | %.0f | %d |%n", this.updates,
					this.updates / seconds(drained - restarted), staleBacklog);
		}

		/** Ten $inc of stock and version on every product, from concurrent writers. */
		private void burst() {
			Flux.range(0, this.updates)
				.flatMap((i) -> this.collection.updateOne(Filters.eq("_id", this.ids.get(i % this.products)),
						Updates.combine(Updates.inc("stock", 1), Updates.inc("version", 1L))), this.writers)
				.blockLast(MAX_DRAIN);
		}

		/** The time at which the stream had applied this many changes since start. */
		private long awaitApplied(long changes) {
			return poll(this.lag::count, changes);
		}

		private long poll(LongSupplier count, long target) {
			long deadline = System.nanoTime() + MAX_DRAIN.toNanos();
			while (count.getAsLong() < target) {
				if (System.nanoTime() - deadline > 0) {
					throw new IllegalStateException(
							"Only " + count.getAsLong() + " of " + target + " changes applied in " + MAX_DRAIN);
				}
				Mono.delay(Duration.ofMillis(2)).block();
			}
			return System.nanoTime();
		}

		/**
		 * Reads every product over HTTP (filling the cache the first time).
		 * @return how many did not show the expected stock (after the burst: stale)
		 */
		private int readAll(int expectedStock) {
			return Flux.fromIterable(this.ids)
				.flatMap((id) -> this.http.get()
					.uri("/api/products/{id}", id.toHexString())
					.retrieve()
					.bodyToMono(Map.class)
					.map((product) -> (((Number) product.get("stock")).intValue() == expectedStock) ? 0 : 1), 8)
				.reduce(0, Integer::sum)
				.block(MAX_DRAIN);
		}

		private static double percentile(HistogramSnapshot snapshot, double percentile) {
			for (ValueAtPercentile value : snapshot.percentileValues()) {
				if (value.percentile() == percentile) {
					return value.value(TimeUnit.MILLISECONDS);
				}
			}
			return Double.NaN;
		}

		private static double seconds(long nanos) {
			return nanos / 1e9;
		}

		private static String loadAverage() {
			try {
				return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
			}
			catch (java.io.IOException ex) {
				return "n/a";
			}
		}

	}

}
