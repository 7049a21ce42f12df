package io.productstore.bench;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import de.bwaldvogel.mongo.MongoServer;
import io.productstore.embedded.EmbeddedMongoBackend;
import io.productstore.support.RedisServerProcess;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Bulk import throughput against one product per POST: one instance of the service (its
 * own {@code redis-server} process and in-process MongoDB wire-protocol server, loopback,
 * change stream on as in production, rate limiting off), and per round N products created
 * three ways: one {@code POST /api/products/bulk} of N lines, N sequential
 * {@code POST /api/products}, and N POSTs 16 at a time. Prints products/s per way and
 * round, and the median.
 */
public final class BulkImportBenchmark {

	private static final Duration TIMEOUT = Duration.ofMinutes(5);

	private static final JsonMapper json = JsonMapper.builder().build();

	private BulkImportBenchmark() {
	}

	/**
	 * Runs the benchmark.
	 * @param args {@code --products=10000 --rounds=3 --concurrency=16} (the defaults)
	 */
	public static void main(String[] args) {
		Map<String, Integer> sizes = BenchmarkService.arguments(args,
				Map.of("products", 10_000, "rounds", 3, "concurrency", 16));
		RedisServerProcess redis = RedisServerProcess.start("--appendonly", "no");
		MongoServer mongo = new MongoServer(EmbeddedMongoBackend.inMemory());
		mongo.bind("127.0.0.1", 0);
		String uri = "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort() + "/productstore";
		try (ConfigurableApplicationContext service = BenchmarkService.start(uri, redis, Map.of())) {
			String port = service.getEnvironment().getProperty("local.server.port");
			WebClient client = WebClient.builder()
				.baseUrl("http://127.0.0.1:" + port)
				.defaultHeaders((headers) -> headers.setBasicAuth("editor", "editor"))
				.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
				.build();
			run(client, sizes.get("products"), sizes.get("rounds"), sizes.get("concurrency"));
		}
		finally {
			redis.close();
			mongo.shutdownNow();
		}
		// Resilience4j's auto-transition scheduler is not a daemon thread.
		System.exit(0);
	}

	private static void run(WebClient client, int products, int rounds, int concurrency) {
		// Warm-up, not counted: one full round (JIT, connections, the bcrypt check of the
		// credentials); a first run with a small warm-up still doubled its rates from
		// round to round.
		bulk(client, "warmup-bulk", products);
		posts(client, "warmup-seq", products, 1);
		posts(client, "warmup-conc", products, concurrency);
		System.out.printf("Load average after the warm-up: %.2f%n", loadAverage());
		Map<String, List<Double>> rates = new LinkedHashMap<>();
		for (int round = 1; round <= rounds; round++) {
			int r = round;
			measure(rates, "bulk import, one request of " + products + " lines", products,
					() -> bulk(client, "bulk-" + r, products));
			measure(rates, "one POST per product, sequential", products, () -> posts(client, "seq-" + r, products, 1));
			measure(rates, "one POST per product, " + concurrency + " concurrent", products,
					() -> posts(client, "conc-" + r, products, concurrency));
		}
		System.out.printf("Load average at the end: %.2f%n", loadAverage());
		System.out.println();
		System.out.println("| way | products/s per round | median |");
		System.out.println("|---|---|---:|");
		rates.forEach((way, values) -> {
			List<Double> sorted = values.stream().sorted().toList();
			System.out.printf("| %s | %s | %.0f |%n", way,
					String.join(", ", values.stream().map((value) -> String.format("%.0f", value)).toList()),
					sorted.get(sorted.size() / 2));
		});
	}

	private static double loadAverage() {
		return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
	}

	private static void measure(Map<String, List<Double>> rates, String way, int products, Runnable create) {
		long started = System.nanoTime();
		create.run();
		double seconds = (System.nanoTime() - started) / 1e9;
		double rate = products / seconds;
		System.out.printf("%s: %d products in %.2f s = %.0f products/s%n", way, products, seconds, rate);
		rates.computeIfAbsent(way, (key) -> new ArrayList<>()).add(rate);
	}

	private static void bulk(WebClient client, String category, int products) {
		StringBuilder body = new StringBuilder();
		for (int i = 0; i < products; i++) {
			body.append(product(category, i)).append('\n');
		}
		long created = client.post()
			.uri("/api/products/bulk")
			.contentType(MediaType.APPLICATION_NDJSON)
			.bodyValue(body.toString().getBytes(StandardCharsets.UTF_8))
			.retrieve()
			.bodyToFlux(String.class)
			.filter((line) -> line.contains("\"status\":201"))
			.count()
			.block(TIMEOUT);
		check(created, products);
	}

	private static void posts(WebClient client, String category, int products, int concurrency) {
		IntFunction<Mono<Integer>> post = (i) -> client.post()
			.uri("/api/products")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(product(category, i))
			.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()));
		long created = Flux.range(0, products)
			.flatMap(post::apply, concurrency)
			.filter((status) -> status == 201)
			.count()
			.block(TIMEOUT);
		check(created, products);
	}

	private static void check(long created, int products) {
		if (created != products) {
			throw new IllegalStateException(created + " of " + products + " products created");
		}
	}

	private static String product(String category, int i) {
		return json.writeValueAsString(Map.of("name", "Bench product " + i, "description",
				"A product of the bulk import benchmark", "category", category, "price",
				BigDecimal.valueOf(1_000 + i % 1_000, 2), "stock", i % 50, "tags", List.of("bench", "t" + (i % 20))));
	}

}
