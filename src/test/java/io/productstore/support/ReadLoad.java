package io.productstore.support;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * A bounded read load on {@code GET /api/products/{id}} over loopback, recording status,
 * {@code X-Cache}, the product's name and the latency of every read; used by the outage
 * tests and the outage benchmark.
 */
public final class ReadLoad {

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

	private final WebClient client;

	public ReadLoad(int port) {
		this.client = WebClient.builder().baseUrl("http://127.0.0.1:" + port).build();
	}

	/**
	 * Reads the ids round-robin.
	 * @param ids the products to read
	 * @param reads how many reads in all
	 * @param concurrency how many at a time
	 * @return the reads
	 */
	public Run run(List<String> ids, int reads, int concurrency) {
		long start = System.nanoTime();
		List<Read> results = Flux.range(0, reads)
			.flatMap((i) -> read(ids.get(i % ids.size())), concurrency)
			.collectList()
			.block(Duration.ofMinutes(5));
		return new Run(results, System.nanoTime() - start);
	}

	/**
	 * Reads the ids round-robin for a while.
	 * @param ids the products to read
	 * @param duration how long to keep starting reads
	 * @param concurrency how many at a time
	 * @return the reads
	 */
	public Run runFor(List<String> ids, Duration duration, int concurrency) {
		long start = System.nanoTime();
		long deadline = start + duration.toNanos();
		AtomicInteger next = new AtomicInteger();
		List<Read> results = Flux.<Integer>generate((sink) -> {
			if (System.nanoTime() - deadline < 0) {
				sink.next(next.getAndIncrement());
			}
			else {
				sink.complete();
			}
		}).flatMap((i) -> read(ids.get(i % ids.size())), concurrency).collectList().block(duration.plusMinutes(5));
		return new Run(results, System.nanoTime() - start);
	}

	public Mono<Read> read(String id) {
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return this.client.get()
				.uri("/api/products/{id}", id)
				.exchangeToMono((response) -> response.bodyToMono(Map.class)
					.defaultIfEmpty(Map.of())
					.map((body) -> new Read(id, response.statusCode().value(),
							response.headers().asHttpHeaders().getFirst("X-Cache"), (String) body.get("name"),
							System.nanoTime() - start, start)))
				.timeout(REQUEST_TIMEOUT)
				.onErrorResume((ex) -> Mono.just(new Read(id, 0, null, null, System.nanoTime() - start, start)));
		});
	}

	/**
	 * One read: status 0 if it failed or timed out on the client; {@code started} is its
	 * {@link System#nanoTime()} when it was sent.
	 */
	public record Read(String id, int status, String cache, String name, long nanos, long started) {

	}

	/** The reads of one run and its wall time. */
	public record Run(List<Read> reads, long wallNanos) {

		public double throughput() {
			return this.reads.size() / (this.wallNanos / 1e9);
		}

		public double percentileMillis(double percentile) {
			long[] sorted = this.reads.stream().mapToLong(Read::nanos).sorted().toArray();
			if (sorted.length == 0) {
				return 0;
			}
			int index = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
			return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
		}

		public double maxMillis() {
			return Arrays.stream(this.reads.stream().mapToLong(Read::nanos).toArray()).max().orElse(0) / 1e6;
		}

		public long count(String cache) {
			return this.reads.stream().filter((read) -> cache.equals(read.cache())).count();
		}

		/** Reads that did not answer 200 (5xx, client timeouts, anything else). */
		public List<Read> failures() {
			return this.reads.stream().filter((read) -> read.status() != 200).toList();
		}

		public double hitRatio() {
			return this.reads.isEmpty() ? 0 : (double) count("HIT") / this.reads.size();
		}

		public String summary() {
			return String.format(
					"%d reads, %.0f reads/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms, HIT %d, MISS %d, "
							+ "BYPASS %d, failures %d",
					this.reads.size(), throughput(), percentileMillis(50), percentileMillis(99), maxMillis(),
					count("HIT"), count("MISS"), count("BYPASS"), failures().size());
		}

	}

}
