package io.productstore.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.productstore.bench.Catalogue.Product;

/**
 * Runs the cache engine benchmark of {@code bench/cache-engine.sh}: the stampede and the
 * invalidation scenario side by side against a real {@code redis-server} and an
 * in-process mongo-java-server on loopback, and prints the results.
 * <p>
 * Options ({@code --name=value}): {@code sizes} (100,500,2000), {@code rounds} (3),
 * {@code pages} (0,1000,10000), {@code warmup} (20), {@code writes} (200),
 * {@code origin-extra-latency-ms} (0: a delay before every origin read, to model a slower
 * database) and {@code markdown} (a file to write the Markdown tables to).
 */
public final class CacheEngineBenchmark {

	private CacheEngineBenchmark() {
	}

	public static void main(String[] args) throws IOException {
		Map<String, String> options = options(args);
		List<Integer> sizes = numbers(options.getOrDefault("sizes", "100,500,2000"), 1, 10_000);
		int rounds = bounded(options.getOrDefault("rounds", "3"), 1, 20);
		List<Integer> pages = numbers(options.getOrDefault("pages", "0,1000,10000"), 0, 100_000);
		int warmup = bounded(options.getOrDefault("warmup", "20"), 0, 1000);
		int writes = bounded(options.getOrDefault("writes", "200"), 10, 5000);
		Duration originLatency = Duration
			.ofMillis(bounded(options.getOrDefault("origin-extra-latency-ms", "0"), 0, 1000));
		long start = System.nanoTime();
		try (BenchmarkServers servers = new BenchmarkServers(originLatency)) {
			System.out.printf("redis-server %s (no persistence), mongo-java-server in process, Java %s, %d cores%n",
					servers.redisAddress(), System.getProperty("java.version"),
					Runtime.getRuntime().availableProcessors());
			System.out.printf(
					"origin: one MongoDB find by _id on mongo-java-server, sequential p50 %.3f ms"
							+ " (extra latency added per read: %d ms)%n",
					originMillis(servers), originLatency.toMillis());
			List<StampedeScenario.Row> stampede = new StampedeScenario(servers).run(sizes, rounds);
			List<InvalidationScenario.Row> invalidation = new InvalidationScenario(servers).run(pages, warmup, writes);
			Report report = new Report();
			System.out.println();
			System.out.print(report.text(stampede, invalidation));
			String markdown = report.markdown(stampede, invalidation);
			System.out.println();
			System.out.print(markdown);
			if (options.containsKey("markdown")) {
				Path file = Path.of(options.get("markdown"));
				Files.createDirectories(file.toAbsolutePath().getParent());
				Files.writeString(file, markdown);
			}
		}
		System.out.printf("%ntotal %.1f s%n", (System.nanoTime() - start) / 1e9);
	}

	/** The median latency of one origin read with nothing else going on. */
	private static double originMillis(BenchmarkServers servers) {
		double[] millis = new double[200];
		for (int i = 0; i < millis.length + 50; i++) {
			String id = Catalogue.id(i);
			long begin = System.nanoTime();
			Product product = servers.catalogue().item(id).get().block(Duration.ofSeconds(10));
			if (i >= 50 && product != null) {
				millis[i - 50] = (System.nanoTime() - begin) / 1e6;
			}
		}
		Arrays.sort(millis);
		return millis[millis.length / 2];
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			if (!arg.startsWith("--") || !arg.contains("=")) {
				throw new IllegalArgumentException("Expected --name=value, got " + arg);
			}
			options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
		}
		return options;
	}

	private static List<Integer> numbers(String csv, int min, int max) {
		List<Integer> numbers = Arrays.stream(csv.split(",")).map(String::trim).map(Integer::valueOf).toList();
		if (numbers.stream().anyMatch((n) -> n < min || n > max)) {
			throw new IllegalArgumentException("Numbers must be within " + min + ".." + max + ": " + csv);
		}
		return numbers;
	}

	private static int bounded(String value, int min, int max) {
		int number = Integer.parseInt(value);
		if (number < min || number > max) {
			throw new IllegalArgumentException(value + " is not within " + min + ".." + max);
		}
		return number;
	}

}
