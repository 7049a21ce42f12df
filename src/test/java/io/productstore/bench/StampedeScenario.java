package io.productstore.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

import io.productstore.bench.Catalogue.Page;
import io.productstore.bench.Catalogue.Product;
import io.productstore.cache.QueryKind;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static io.productstore.bench.BenchmarkServers.PREFIX;
import static io.productstore.bench.BenchmarkServers.REGION;
import static io.productstore.bench.BenchmarkServers.TIMEOUT;

/**
 * Scenario 1: N concurrent cold reads of one product or one list page, on one or two
 * instances, through the engine and through plain cache-aside; counts the origin reads
 * and the wall time until every request has its value.
 */
final class StampedeScenario {

	static final String ITEM_ID = Catalogue.id(0);

	static final String LIST_QUERY = "category=tools&page=0&size=20";

	private final BenchmarkServers servers;

	StampedeScenario(BenchmarkServers servers) {
		this.servers = servers;
	}

	List<Row> run(List<Integer> sizes, int rounds) {
		for (Kind kind : Kind.values()) {
			for (int instances = 1; instances <= 2; instances++) {
				row(Math.min(100, sizes.get(0)), kind, instances, 2); // JIT warm-up
			}
		}
		List<Row> rows = new ArrayList<>();
		for (int requests : sizes) {
			for (Kind kind : Kind.values()) {
				for (int instances = 1; instances <= 2; instances++) {
					rows.add(row(requests, kind, instances, rounds));
				}
			}
		}
		return rows;
	}

	private Row row(int requests, Kind kind, int instances, int rounds) {
		try {
			return measure(requests, kind, instances, rounds);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Row measure(int requests, Kind kind, int instances, int rounds)
			throws InterruptedException, ExecutionException, TimeoutException {
		long[][] reads = new long[2][rounds];
		double[][] wallMillis = new double[2][rounds];
		for (int round = 0; round < rounds; round++) {
			// Alternate which side goes first, so neither always meets a warmer JVM.
			for (int step = 0; step < 2; step++) {
				int side = (round + step) % 2;
				IntFunction<Mono<?>> read = (side == 0) ? (i) -> engineRead(kind, i % instances)
						: (i) -> cacheAsideRead(kind, i % instances);
				this.servers.flush();
				this.servers.catalogue().resetReads();
				// Every request is assembled and parked behind a gate first, so that
				// opening
				// it sends them as one burst instead of at the pace of building them.
				Sinks.Empty<Void> gate = Sinks.empty();
				CompletableFuture<Long> done = Flux.range(0, requests)
					.flatMap((i) -> gate.asMono().then(Mono.defer(() -> read.apply(i))), requests)
					.count()
					.toFuture();
				long start = System.nanoTime();
				gate.tryEmitEmpty();
				Long served = done.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
				wallMillis[side][round] = (System.nanoTime() - start) / 1e6;
				reads[side][round] = this.servers.catalogue().reads();
				if (served == null || served != requests) {
					throw new IllegalStateException(served + " of " + requests + " requests got a value");
				}
			}
		}
		return new Row(requests, kind, instances, Measure.of(reads[0], wallMillis[0]),
				Measure.of(reads[1], wallMillis[1]));
	}

	private Mono<?> engineRead(Kind kind, int instance) {
		if (kind == Kind.ITEM) {
			return this.servers.engine(instance)
				.item(REGION, ITEM_ID, Product.class, this.servers.catalogue().item(ITEM_ID), false)
				.filter((lookup) -> lookup.value() != null);
		}
		return this.servers.engine(instance)
			.query(REGION, QueryKind.LIST, LIST_QUERY, Page.class, this.servers.catalogue().page("tools", 0), false)
			.filter((lookup) -> lookup.value() != null);
	}

	private Mono<?> cacheAsideRead(Kind kind, int instance) {
		if (kind == Kind.ITEM) {
			return this.servers.cacheAside(instance)
				.get(PREFIX + REGION + ":{" + ITEM_ID + "}", Product.class, this.servers.catalogue().item(ITEM_ID),
						Duration.ofHours(1));
		}
		return this.servers.cacheAside(instance)
			.get(listKey(LIST_QUERY), Page.class, this.servers.catalogue().page("tools", 0), Duration.ofMinutes(5));
	}

	/** A list key of the same shape as the engine's, for the baselines. */
	static String listKey(String canonicalQuery) {
		return PREFIX + REGION + ":list:{g1." + sha256(canonicalQuery) + "}";
	}

	private static String sha256(String text) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** What is read: one product by id or one list page. */
	enum Kind {

		ITEM, LIST;

		String label() {
			return name().toLowerCase();
		}

	}

	/**
	 * One line of the result: the same load through the engine and through cache-aside.
	 */
	record Row(int requests, Kind kind, int instances, Measure engine, Measure cacheAside) {

		double readsRatio() {
			return (double) this.cacheAside.medianReads() / Math.max(1, this.engine.medianReads());
		}

	}

	/** Origin reads (median and worst round) and median wall time over the rounds. */
	record Measure(long medianReads, long maxReads, double medianWallMillis) {

		static Measure of(long[] reads, double[] wallMillis) {
			long[] sortedReads = reads.clone();
			Arrays.sort(sortedReads);
			double[] sortedWall = wallMillis.clone();
			Arrays.sort(sortedWall);
			return new Measure(sortedReads[sortedReads.length / 2], sortedReads[sortedReads.length - 1],
					sortedWall[sortedWall.length / 2]);
		}

	}

}
