package io.productstore.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.productstore.cache.outage.CacheResilience;
import io.productstore.support.OwnRedisConfiguration;
import io.productstore.support.ProductApi;
import io.productstore.support.ReadLoad;
import io.productstore.support.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.productstore.support.ProductApi.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link CacheResilience}, with the shipped settings: the whole service against
 * its own {@code redis-server} process, started while that process is down, then with
 * Redis hung ({@code SIGSTOP}), killed and restarted with its append-only file, and kept
 * busy by long scripts. Reads must keep answering 200 with the current product, writes
 * must never be lost or hidden by older cached values, and the cache must come back by
 * itself.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		// The shipped resilience settings: detecting a hang and bounding what it costs
		// readers
		// and writers is what they are for.
		properties = { "app.cache.key-prefix=outage-it:", "spring.mongodb.database=redis-outage-it" })
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@Import(RedisOutageIntegrationTests.OwnRedis.class)
// Closed after the class: its servers die with it, and a cached context would keep
// probing them (heartbeat, reconnects) for the rest of the suite.
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisOutageIntegrationTests {

	private static final Duration RECOVERY = Duration.ofSeconds(30);

	/** Started and killed at once: the service starts without Redis. */
	private static final RedisServerProcess redis = startedAndKilled();

	private static final String BUSY_SCRIPT = """
			local start = redis.call('TIME')
			local now = start
			while (now[1] - start[1]) * 1000000 + (now[2] - start[2]) < tonumber(ARGV[1]) do
			  now = redis.call('TIME')
			end
			return 1
			""";

	@LocalServerPort
	private int port;

	@Autowired
	private WebTestClient client;

	@Autowired
	private CacheResilience resilience;

	@Autowired
	private MeterRegistry meters;

	private ProductApi api;

	private ReadLoad load;

	private final Map<String, String> names = new ConcurrentHashMap<>();

	@BeforeEach
	void clients() {
		this.api = new ProductApi(this.client);
		this.load = new ReadLoad(this.port);
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@Test
	@Order(1)
	void startsDegradedWithoutRedisAndUsesRedisAsSoonAsItAppears() {
		String id = this.api.createdId(product("name", "Startup kettle"));
		this.api.get(id).expectStatus().isOk().expectHeader().valueEquals("X-Cache", "BYPASS");
		this.client.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP")
			.jsonPath("$.components.redis.status")
			.isEqualTo("DEGRADED")
			.jsonPath("$.components.mongo.status")
			.isEqualTo("UP");

		redis.restart();
		await().atMost(RECOVERY).until(this.resilience::available);
		this.api.get(id).expectStatus().isOk().expectBody().jsonPath("$.name").isEqualTo("Startup kettle");
		this.api.get(id).expectStatus().isOk().expectHeader().valueEquals("X-Cache", "HIT");
		this.client.get()
			.uri("/actuator/health")
			.headers(ProductApi.as(ProductApi.ADMIN))
			.exchange()
			.expectBody()
			.jsonPath("$.components.redis.status")
			.isEqualTo("UP")
			.jsonPath("$.components.redis.details.circuitBreaker")
			.isEqualTo("CLOSED");
	}

	@Test
	@Order(2)
	void hungRedisIsDetectedWithinTwoSecondsAndBypassedAndUsedAgainAfterItResumes() {
		List<String> ids = warmProducts("Hung", 10);
		ReadLoad.Run during;
		ReadLoad.Run open;
		List<Duration> writes = new ArrayList<>();
		redis.pause();
		long paused = System.nanoTime();
		// When the reads below first find the cache unavailable.
		Mono<Duration> detected = Flux.interval(Duration.ofMillis(10))
			.filter((tick) -> !this.resilience.available())
			.next()
			.map((tick) -> Duration.ofNanos(System.nanoTime() - paused))
			.cache();
		detected.subscribe();
		try {
			during = checkedRun(ids, 300, 8);
			for (int i = 0; i < 3; i++) {
				long started = System.nanoTime();
				rename(ids.get(i), "Hung " + i + ", renamed during the hang");
				writes.add(Duration.ofNanos(System.nanoTime() - started));
			}
			assertThat(detected.block(RECOVERY)).as("time to detect the hang").isLessThan(Duration.ofSeconds(2));
			// Given up by the breaker, or already recovering because a write's journaled
			// invalidation made the cache unavailable at once: either way reads bypass.
			assertThat(this.resilience.state()).isIn("OPEN", "HALF_OPEN", "RECOVERING");
			open = checkedRun(ids, 200, 8);
		}
		finally {
			redis.resume();
		}
		await().atMost(RECOVERY).until(this.resilience::available);
		checkedRun(ids, 300, 8);

		assertThat(open.count("BYPASS")).isEqualTo(open.reads().size());
		// A read waits for the hung Redis until it has answered nothing for
		// unresponsive-after (500 ms), then reads MongoDB; once the breaker is open, not
		// at all. A write's cache steps are bounded the same way, then journaled.
		assertThat(during.percentileMillis(99)).as("p99 of reads during the hang").isLessThan(1000);
		assertThat(open.percentileMillis(99)).as("p99 of reads with the breaker open").isLessThan(1000);
		assertThat(writes).as("writes during the hang")
			.allSatisfy((write) -> assertThat(write).isLessThan(Duration.ofSeconds(1)));
		await().atMost(RECOVERY).until(() -> this.load.run(ids, 50, 4).hitRatio() > 0.8);
	}

	@Test
	@Order(3)
	void killedRedisRestartedWithItsAppendOnlyFileNeverHidesWritesMadeDuringTheOutage() {
		List<String> ids = warmProducts("Killed", 10);
		long epochBefore = this.resilience.epoch();
		String oldEntry = this.resilience.keys().item("product", ids.get(0)).entry();
		redis.kill();
		for (int i = 0; i < 5; i++) {
			rename(ids.get(i), "Killed " + i + ", renamed during the outage");
		}
		checkedRun(ids, 200, 8);

		redis.restart();
		// The append-only file brought the old entries back: the hazard is real.
		assertThat(rawGet(oldEntry)).contains("\"Killed 0\"");
		await().atMost(RECOVERY).until(this.resilience::available);
		checkedRun(ids, 300, 8);
		assertThat(this.resilience.epoch()).isGreaterThan(epochBefore);
		assertThat(this.resilience.journalSize()).isZero();
		await().atMost(RECOVERY).until(() -> this.load.run(ids, 50, 4).hitRatio() > 0.8);
	}

	@Test
	@Order(4)
	void redisKeptBusyByLongScriptsIsBypassedAndUsedAgainWhenItIsFree() throws InterruptedException {
		List<String> ids = warmProducts("Busy", 5);
		double unresponsiveBefore = unresponsiveVerdicts();
		AtomicBoolean busy = new AtomicBoolean(true);
		// Each script blocks Redis for 700 ms, longer than unresponsive-after: every call
		// queued behind one waits with nothing answered.
		Thread busyClient = new Thread(() -> keepRedisBusy(busy, 700_000), "busy-redis-client");
		busyClient.start();
		try {
			await().atMost(RECOVERY).until(() -> {
				checkedRun(ids, 40, 4);
				return unresponsiveVerdicts() > unresponsiveBefore && !this.resilience.available();
			});
		}
		finally {
			busy.set(false);
			busyClient.join(10_000);
		}
		await().atMost(RECOVERY).until(this.resilience::available);
		checkedRun(ids, 100, 4);
	}

	private double unresponsiveVerdicts() {
		return this.meters.counter("productstore.cache.redis.unresponsive").count();
	}

	private List<String> warmProducts(String name, int count) {
		if (!redis.isAlive()) {
			redis.restart();
		}
		await().atMost(RECOVERY).until(this.resilience::available);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String id = this.api.createdId(product("name", name + " " + i));
			this.names.put(id, name + " " + i);
			ids.add(id);
		}
		this.load.run(ids, count * 2, 4);
		return ids;
	}

	private void rename(String id, String name) {
		this.api.patch(id, Map.of("name", name), null).expectStatus().isOk();
		this.names.put(id, name);
	}

	/**
	 * Runs a read load and checks that every read answered 200 with the product's current
	 * name: no 5xx, no lost write, no stale read.
	 */
	private ReadLoad.Run checkedRun(List<String> ids, int reads, int concurrency) {
		ReadLoad.Run run = this.load.run(ids, reads, concurrency);
		assertThat(run.failures()).isEmpty();
		assertThat(run.reads()).allSatisfy((read) -> assertThat(read.name()).isEqualTo(this.names.get(read.id())));
		return run;
	}

	private static String rawGet(String key) {
		RedisClient client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return connection.sync().get(key);
		}
		finally {
			client.shutdown();
		}
	}

	/**
	 * Runs a script that spins for {@code micros} again and again from its own client.
	 */
	private static void keepRedisBusy(AtomicBoolean busy, long micros) {
		RedisClient client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			while (busy.get()) {
				connection.sync().eval(BUSY_SCRIPT, ScriptOutputType.INTEGER, new String[0], Long.toString(micros));
			}
		}
		finally {
			client.shutdown();
		}
	}

	private static RedisServerProcess startedAndKilled() {
		RedisServerProcess server = RedisServerProcess.start();
		server.kill();
		return server;
	}

	/** Points the service at this class's own Redis and at the shared MongoDB server. */
	@TestConfiguration(proxyBeanMethods = false)
	static class OwnRedis extends OwnRedisConfiguration {

		@Override
		protected RedisServerProcess redis() {
			return redis;
		}

	}

}
