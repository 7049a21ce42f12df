package io.productstore.bench;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandSucceededEvent;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import io.productstore.ProductStoreApplication;
import io.productstore.embedded.EmbeddedMongoBackend;
import io.productstore.support.RedisServerProcess;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Cursor page N against offset page N of one listing ({@code sort=price,asc}, 20 per
 * page) at N = 1, 100 and 1,000 over 100,000 products: one instance of the service on its
 * own {@code redis-server} process and an in-process mongo-java-server (loopback).
 * Uncached (the request bypasses the cache with {@code Cache-Control: no-cache}): the
 * MongoDB time per page, summed from the driver's command events (the find, plus the
 * count an offset page makes, which run concurrently), and the request's wall time;
 * cached: the wall time of a hit, sequential requests from a client in the same JVM. The
 * cursor of page N is the {@code nextCursor} of offset page N-1, the same position. Run
 * by {@code bench/cursor-paging.sh}; bounded by its timeout.
 */
public final class CursorPagingBenchmark {

	private static final int SIZE = 20;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration TIMEOUT = Duration.ofSeconds(120);

	private CursorPagingBenchmark() {
	}

	/**
	 * Runs the benchmark.
	 * @param args {@code --products=100000 --uncached=5 --cached=200 --pages=1,100,1000}
	 * (the defaults)
	 */
	public static void main(String[] args) {
		Map<String, String> options = options(args);
		int products = Integer.parseInt(options.getOrDefault("products", "100000"));
		int uncached = Integer.parseInt(options.getOrDefault("uncached", "5"));
		int cached = Integer.parseInt(options.getOrDefault("cached", "200"));
		int[] pages = Arrays.stream(options.getOrDefault("pages", "1,100,1000").split(","))
			.mapToInt(Integer::parseInt)
			.toArray();
		RedisServerProcess redis = RedisServerProcess.start("--appendonly", "no");
		MongoServer mongo = new MongoServer(EmbeddedMongoBackend.inMemory());
		mongo.bind("127.0.0.1", 0);
		String uri = "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort() + "/productstore";
		AtomicLong mongoNanos = new AtomicLong();
		try {
			seed(uri, products);
			try (ConfigurableApplicationContext service = start(uri, redis, mongoNanos)) {
				WebClient client = WebClient.builder()
					.baseUrl("http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port"))
					.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
					.build();
				System.out.printf("%,d products, sort=price,asc, %d per page; uncached: median of %d, cached: of %d%n",
						products, SIZE, uncached, cached);
				System.out.println("| page N | offset: MongoDB ms | offset: request ms | cursor: MongoDB ms "
						+ "| cursor: request ms | offset cached: request ms | cursor cached: request ms |");
				System.out.println("|---|---|---|---|---|---|---|");
				for (int page : pages) {
					new Measurement(client, mongoNanos, page, uncached, cached).print();
				}
			}
		}
		finally {
			redis.close();
			mongo.shutdownNow();
		}
		// Resilience4j's auto-transition scheduler is not a daemon thread.
		System.exit(0);
	}

	private static ConfigurableApplicationContext start(String uri, RedisServerProcess redis, AtomicLong mongoNanos) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("spring.profiles.active", "test");
		properties.put("spring.mongodb.uri", uri);
		properties.put("spring.data.redis.host", redis.host());
		properties.put("spring.data.redis.port", Integer.toString(redis.port()));
		properties.put("app.cache.key-prefix", "bench:");
		properties.put("app.ratelimit.enabled", "false");
		properties.put("logging.level.root", "WARN");
		// Every MongoDB command the service makes, timed by the driver.
		CommandListener timer = new CommandListener() {
			@Override
			public void commandSucceeded(CommandSucceededEvent event) {
				mongoNanos.addAndGet(event.getElapsedTime(TimeUnit.NANOSECONDS));
			}
		};
		MongoClientSettingsBuilderCustomizer customizer = (settings) -> settings.addCommandListener(timer);
		return new SpringApplicationBuilder(ProductStoreApplication.class)
			.initializers((context) -> context.getBeanFactory().registerSingleton("benchCommandTimer", customizer))
			.run(properties.entrySet()
				.stream()
				.map((entry) -> "--" + entry.getKey() + "=" + entry.getValue())
				.toArray(String[]::new));
	}

	/** Products with many equal prices, so the id tie-breaker decides within each. */
	private static void seed(String uri, int count) {
		try (MongoClient client = MongoClients.create(uri)) {
			MongoCollection<Document> collection = client.getDatabase("productstore").getCollection("products");
			Instant now = Instant.now();
			List<Document> batch = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				batch.add(new Document("_id", new ObjectId()).append("name", "Bench product " + i)
					.append("category", "bench-" + (i % 10))
					.append("price", new Decimal128(BigDecimal.valueOf(100 + (i * 7919L) % 50_000, 2)))
					.append("currency", "USD")
					.append("stock", i % 50)
					.append("tags", List.of())
					.append("images", List.of())
					.append("active", true)
					.append("wishlisted", false)
					.append("version", 0L)
					.append("createdAt", Date.from(now.plusMillis(i)))
					.append("updatedAt", Date.from(now.plusMillis(i))));
				if (batch.size() == 5_000 || i == count - 1) {
					Mono.from(collection.insertMany(batch)).block(TIMEOUT);
					batch = new ArrayList<>();
				}
			}
			System.out.printf("seeded %,d products%n", Mono.from(collection.countDocuments()).block(TIMEOUT));
		}
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (String arg : args) {
			String[] pair = arg.replaceFirst("^--", "").split("=", 2);
			options.put(pair[0], (pair.length > 1) ? pair[1] : "");
		}
		return options;
	}

	/** One page number, offset and cursor, uncached and cached. */
	private record Measurement(WebClient client, AtomicLong mongoNanos, int page, int uncached, int cached) {

		void print() {
			String offset = "/api/products?sort=price,asc&size=" + SIZE + "&page=" + this.page;
			String previous = "/api/products?sort=price,asc&size=" + SIZE + "&page=" + (this.page - 1);
			String cursor = "/api/products?cursor=" + body(get(previous, false)).get("nextCursor");
			if (!ids(get(offset, false)).equals(ids(get(cursor, false)))) {
				throw new IllegalStateException("cursor page " + this.page + " differs from offset page");
			}
			double[] offsetUncached = uncached(offset);
			double[] cursorUncached = uncached(cursor);
			System.out.printf("| %,d | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f |%n", this.page, offsetUncached[0],
					offsetUncached[1], cursorUncached[0], cursorUncached[1], cached(offset), cached(cursor));
		}

		/** Median MongoDB ms and median request ms of requests that bypass the cache. */
		private double[] uncached(String path) {
			double[] mongo = new double[this.uncached];
			double[] request = new double[this.uncached];
			for (int i = 0; i < this.uncached; i++) {
				long mongoBefore = this.mongoNanos.get();
				long start = System.nanoTime();
				get(path, true);
				request[i] = (System.nanoTime() - start) / 1e6;
				mongo[i] = (this.mongoNanos.get() - mongoBefore) / 1e6;
			}
			return new double[] { median(mongo), median(request) };
		}

		/** Median request ms of cache hits (after one read that fills the entry). */
		private double cached(String path) {
			get(path, false);
			long mongoBefore = this.mongoNanos.get();
			double[] request = new double[this.cached];
			for (int i = 0; i < this.cached; i++) {
				long start = System.nanoTime();
				ResponseEntity<byte[]> response = get(path, false);
				request[i] = (System.nanoTime() - start) / 1e6;
				if (!"HIT".equals(response.getHeaders().getFirst("X-Cache"))) {
					throw new IllegalStateException("expected a cache hit for " + path);
				}
			}
			if (this.mongoNanos.get() != mongoBefore) {
				throw new IllegalStateException("a cache hit read MongoDB");
			}
			return median(request);
		}

		/**
		 * The raw body: parsing it would add the client's JSON work to the request time.
		 */
		private ResponseEntity<byte[]> get(String path, boolean bypass) {
			return this.client.get().uri(path).headers((headers) -> {
				if (bypass) {
					headers.setCacheControl("no-cache");
				}
			}).retrieve().toEntity(byte[].class).block(TIMEOUT);
		}

		@SuppressWarnings("unchecked")
		private static Map<String, Object> body(ResponseEntity<byte[]> response) {
			return JSON.readValue(response.getBody(), Map.class);
		}

		@SuppressWarnings("unchecked")
		private static List<Object> ids(ResponseEntity<byte[]> response) {
			return ((List<Map<String, Object>>) body(response).get("items")).stream()
				.map((item) -> item.get("id"))
				.toList();
		}

		private static double median(double[] values) {
			double[] sorted = values.clone();
			Arrays.sort(sorted);
			return sorted[sorted.length / 2];
		}

	}

}
