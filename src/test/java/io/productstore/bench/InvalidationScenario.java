package io.productstore.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;

import io.productstore.bench.Catalogue.Page;
import io.productstore.bench.Catalogue.Product;
import io.productstore.cache.QueryKind;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.script.RedisScript;

import static io.productstore.bench.BenchmarkServers.PREFIX;
import static io.productstore.bench.BenchmarkServers.REGION;
import static io.productstore.bench.BenchmarkServers.TIMEOUT;

/**
 * Scenario 2: the latency of the cache side of one product write with 0, 1,000 or 10,000
 * list pages cached: the engine's {@code written(...)} (item replace and generation bump)
 * against the classic pattern delete ({@code SET} item, then
 * {@code SCAN MATCH <prefix>product:list:* COUNT 1000} and {@code UNLINK} of each batch).
 */
final class InvalidationScenario {

	static final String LIST_PATTERN = PREFIX + REGION + ":list:*";

	private static final RedisScript<Long> FILL = RedisScript.of("""
			for _, key in ipairs(KEYS) do redis.call('SET', key, ARGV[1], 'PX', ARGV[2]) end
			return #KEYS""", Long.class);

	private final BenchmarkServers servers;

	InvalidationScenario(BenchmarkServers servers) {
		this.servers = servers;
	}

	List<Row> run(List<Integer> pageCounts, int warmup, int writes) {
		Page page = this.servers.catalogue().page("tools", 0).get().block(TIMEOUT);
		row(0, page, warmup, writes); // JIT warm-up of both write paths, not reported
		List<Row> rows = new ArrayList<>();
		for (int pages : pageCounts) {
			rows.add(row(pages, page, warmup, writes));
		}
		return rows;
	}

	private Row row(int pages, Page page, int warmup, int writes) {
		this.servers.flush();
		Flux.range(0, pages)
			.flatMap((i) -> this.servers.engine(0)
				.query(REGION, QueryKind.LIST, query(i), Page.class, () -> Mono.just(page), false), 64)
			.blockLast(TIMEOUT);
		long engineKeys = this.servers.keys();
		// The old generation's pages stay in Redis until their TTL: every write below
		// runs with at least `pages` list keys in the keyspace.
		Latency engine = measure(warmup, writes, (version) -> this.servers.engine(0)
			.written(REGION, Catalogue.id((int) version), Catalogue.product((int) version, version), version));

		this.servers.flush();
		List<String> keys = new ArrayList<>(pages);
		for (int i = 0; i < pages; i++) {
			keys.add(StampedeScenario.listKey(query(i)));
		}
		String pageJson = this.servers.json.writeValueAsString(page);
		fill(keys, pageJson);
		long patternKeys = this.servers.keys();
		long[] deleted = new long[1];
		Latency patternDelete = measure(warmup, writes, (version) -> {
			// Untimed: the pages come back between writes, as readers refill them.
			fill(keys, pageJson);
			return Mono.defer(() -> patternDeleteWrite(Catalogue.product((int) version, version)))
				.doOnNext((count) -> deleted[0] += count);
		});
		return new Row(pages, engineKeys, engine, patternKeys, patternDelete, (double) deleted[0] / (warmup + writes));
	}

	/**
	 * The classic write path: replace the item, then delete every list page by pattern.
	 */
	private Mono<Long> patternDeleteWrite(Product product) {
		return this.servers.strings()
			.opsForValue()
			.set(PREFIX + REGION + ":{" + product.id() + "}", this.servers.json.writeValueAsString(product),
					Duration.ofHours(1))
			.thenMany(this.servers.strings().scan(ScanOptions.scanOptions().match(LIST_PATTERN).count(1000).build()))
			.buffer(1000)
			.concatMap((batch) -> this.servers.strings().unlink(batch.toArray(new String[0])))
			.reduce(0L, Long::sum);
	}

	private void fill(List<String> keys, String value) {
		if (!keys.isEmpty()) {
			this.servers.strings()
				.execute(FILL, keys, List.of(value, String.valueOf(Duration.ofMinutes(5).toMillis())))
				.blockLast(TIMEOUT);
		}
	}

	/**
	 * Runs {@code warmup} untimed then {@code writes} timed writes one after the other;
	 * only the returned publisher is timed, not the building of it.
	 */
	private static Latency measure(int warmup, int writes, LongFunction<Mono<?>> write) {
		double[] millis = new double[writes];
		for (int i = 0; i < warmup + writes; i++) {
			Mono<?> operation = write.apply(i + 1);
			long start = System.nanoTime();
			operation.block(TIMEOUT);
			if (i >= warmup) {
				millis[i - warmup] = (System.nanoTime() - start) / 1e6;
			}
		}
		return Latency.of(millis);
	}

	private static String query(int i) {
		return "category=" + Catalogue.CATEGORIES.get(i % Catalogue.CATEGORIES.size()) + "&page=" + i + "&size=20";
	}

	/**
	 * One line of the result: the same writes through the engine and by pattern delete.
	 */
	record Row(int pages, long engineKeys, Latency engine, long patternKeys, Latency patternDelete,
			double deletedPerWrite) {

		double p50Ratio() {
			return this.patternDelete.p50() / this.engine.p50();
		}

		double meanRatio() {
			return this.patternDelete.mean() / this.engine.mean();
		}

	}

	/** Write latency figures in milliseconds. */
	record Latency(double p50, double p99, double mean, double max) {

		static Latency of(double[] millis) {
			double[] sorted = millis.clone();
			Arrays.sort(sorted);
			return new Latency(rank(sorted, 0.50), rank(sorted, 0.99), Arrays.stream(sorted).average().orElse(0),
					sorted[sorted.length - 1]);
		}

		/** Nearest-rank percentile. */
		private static double rank(double[] sorted, double quantile) {
			int index = (int) Math.ceil(quantile * sorted.length) - 1;
			return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
		}

	}

}
