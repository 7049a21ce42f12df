package io.productstore.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import de.bwaldvogel.mongo.MongoServer;
import io.productstore.ProductStoreApplication;
import io.productstore.embedded.EmbeddedMongoBackend;
import io.productstore.support.ReadLoad;
import io.productstore.support.RedisServerProcess;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Runs the service against its own {@code redis-server} process and MongoDB wire-protocol
 * server on loopback, drives a bounded read load, and prints throughput and latency
 * before, during and after a Redis hang ({@code SIGSTOP}) and a Redis kill (then a
 * restart with its append-only file), with the time until the hit ratio has recovered.
 * Run by {@code bench/redis-outage.sh}; arguments are extra {@code --key=value}
 * properties for the service.
 */
public final class RedisOutageBenchmark {

	private static final int PRODUCTS = 200;

	private static final int CONCURRENCY = 8;

	private static final Duration PHASE = Duration.ofSeconds(5);

	private static final Duration MAX_RECOVERY = Duration.ofSeconds(60);

	private final List<String> rows = new ArrayList<>();

	private RedisOutageBenchmark() {
	}

	public static void main(String[] args) {
		RedisServerProcess redis = RedisServerProcess.start();
		MongoServer mongo = new MongoServer(EmbeddedMongoBackend.inMemory());
		mongo.bind("127.0.0.1", 0);
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		// The test profile switches off embedded servers, seed data and warm-up; the
		// resilience settings are the shipped defaults.
		properties.put("spring.profiles.active", "test");
		properties.put("spring.mongodb.uri", "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort() + "/bench");
		properties.put("spring.data.redis.host", redis.host());
		properties.put("spring.data.redis.port", Integer.toString(redis.port()));
		properties.put("app.cache.key-prefix", "bench:");
		properties.put("logging.level.root", "WARN");
		properties.put("logging.level.io.productstore.cache", "INFO");
		for (String arg : args) {
			String[] pair = arg.replaceFirst("^--", "").split("=", 2);
			properties.put(pair[0], (pair.length > 1) ? pair[1] : "true");
		}
		System.out.println("Service properties: " + properties);
		String[] commandLine = properties.entrySet()
			.stream()
			.map((entry) -> "--" + entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ProductStoreApplication.class)
			.run(commandLine)) {
			int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
			new RedisOutageBenchmark().run(port, redis);
		}
		finally {
			redis.close();
			mongo.shutdownNow();
		}
		// Resilience4j's auto-transition scheduler is not a daemon thread.
		System.exit(0);
	}

	private void run(int port, RedisServerProcess redis) {
		ReadLoad load = new ReadLoad(port);
		List<String> ids = createProducts(port);
		load.run(ids, PRODUCTS * 5, CONCURRENCY);
		System.out.printf("Read load: %d products, %d concurrent reads, %d s per phase, loopback%n", PRODUCTS,
				CONCURRENCY, PHASE.toSeconds());

		row("hang", "before", load.runFor(ids, PHASE, CONCURRENCY));
		redis.pause();
		long hung = System.nanoTime();
		ReadLoad.Run during = load.runFor(ids, PHASE, CONCURRENCY);
		redis.resume();
		row("hang", "during (SIGSTOP " + PHASE.toSeconds() + " s)", during);
		recover("hang", load, ids, System.nanoTime(), hung);

		row("kill", "before", load.runFor(ids, PHASE, CONCURRENCY));
		redis.kill();
		long killed = System.nanoTime();
		ReadLoad.Run down = load.runFor(ids, PHASE, CONCURRENCY);
		redis.restart();
		row("kill", "during (SIGKILL, down " + PHASE.toSeconds() + " s)", down);
		recover("kill", load, ids, System.nanoTime(), killed);

		System.out.println();
		System.out.println("| outage | phase | reads/s | p50 ms | p99 ms | max ms | HIT | BYPASS | non-200 |");
		System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
		this.rows.forEach(System.out::println);
	}

	/**
	 * Reads until a batch is served from Redis again (hit ratio at least 90%), then a
	 * steady phase; prints how long that took from the end of the fault.
	 */
	private void recover(String outage, ReadLoad load, List<String> ids, long faultEnded, long faultStarted) {
		List<ReadLoad.Read> reads = new ArrayList<>();
		long recovered = -1;
		long deadline = faultEnded + MAX_RECOVERY.toNanos();
		while (System.nanoTime() - deadline < 0) {
			ReadLoad.Run batch = load.run(ids, 100, CONCURRENCY);
			reads.addAll(batch.reads());
			if (batch.hitRatio() >= 0.9) {
				recovered = System.nanoTime();
				break;
			}
		}
		row(outage, "until hit ratio >= 90%", new ReadLoad.Run(reads, System.nanoTime() - faultEnded));
		System.out.printf("%s: fault lasted %.1f s; hit ratio back to >= 90%% %s after the fault ended%n", outage,
				(faultEnded - faultStarted) / 1e9, (recovered < 0) ? "not within " + MAX_RECOVERY.toSeconds() + " s"
						: String.format("%.2f s", (recovered - faultEnded) / 1e9));
		row(outage, "after", load.runFor(ids, PHASE, CONCURRENCY));
	}

	private void row(String outage, String phase, ReadLoad.Run run) {
		System.out.println(outage + " / " + phase + ": " + run.summary());
		this.rows.add(String.format("| %s | %s | %.0f | %.1f | %.1f | %.1f | %d | %d | %d |", outage, phase,
				run.throughput(), run.percentileMillis(50), run.percentileMillis(99), run.maxMillis(), run.count("HIT"),
				run.count("BYPASS"), run.failures().size()));
	}

	private static List<String> createProducts(int port) {
		WebClient client = WebClient.builder()
			.baseUrl("http://127.0.0.1:" + port)
			.defaultHeaders((headers) -> headers.setBasicAuth("editor", "editor"))
			.build();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < PRODUCTS; i++) {
			Map<?, ?> created = client.post()
				.uri("/api/products")
				.bodyValue(Map.of("name", "Bench product " + i, "category", "bench-" + (i % 10), "price", 10 + i))
				.retrieve()
				.bodyToMono(Map.class)
				.block(Duration.ofSeconds(30));
			ids.add((String) created.get("id"));
		}
		return ids;
	}

}
