package io.productstore.product;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.productstore.cache.outage.CacheResilience;
import io.productstore.support.Instance;
import io.productstore.support.OwnRedisConfiguration;
import io.productstore.support.ReadLoad;
import io.productstore.support.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.TestConfiguration;

import static io.productstore.support.ProductApi.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis outages seen by two instances with the shipped resilience settings, on a Redis
 * process of this class's own (issue 12): a 10 s hang ({@code SIGSTOP}) under reads on
 * both and writes through one, and a kill followed by a restart from the append-only
 * file, which brings entries back that are older than the writes made during the outage.
 * Once the instances serve from Redis again, no read on either may be older than a write
 * acknowledged before it. The change stream is on, as shipped: it is how the other
 * instance learns of the writes made during the outage (its own journal then holds them);
 * without it, that instance may serve them stale until the writer's own recovery has
 * replayed its journal ({@code docs/caching.md}, "Staleness bounds").
 */
class TwoInstanceOutageIntegrationTests {

	private static final Duration RECOVERY = Duration.ofSeconds(30);

	private static RedisServerProcess redis;

	private Instance writer;

	private Instance other;

	private final Map<String, String> names = new ConcurrentHashMap<>();

	private final Map<String, String> initialNames = new ConcurrentHashMap<>();

	private final List<Rename> renames = new CopyOnWriteArrayList<>();

	private List<String> ids;

	@BeforeEach
	void start() {
		redis = RedisServerProcess.start();
		String[] arguments = { "--app.cache.change-stream.enabled=true", "--app.cache.key-prefix=two-outage:",
				"--spring.mongodb.database=two-outage-it" };
		Class<?>[] servers = { OwnRedis.class };
		this.writer = Instance.start(servers, arguments);
		this.other = Instance.start(servers, arguments);
		awaitBothAvailable();
		this.ids = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			String name = "Outage " + i;
			String id = this.writer.api().createdId(product("name", name));
			this.names.put(id, name);
			this.initialNames.put(id, name);
			this.ids.add(id);
		}
		// Warm: every product in Redis and in both near caches.
		checkedRun(load(this.writer), 40);
		checkedRun(load(this.other), 40);
	}

	@AfterEach
	void stop() {
		this.writer.close();
		this.other.close();
		redis.close();
	}

	@Test
	void aTenSecondHangUnderReadsAndWritesIsBoundedAndLeavesNoStaleRead() {
		List<Duration> writes = new ArrayList<>();
		ReadLoad.Run[] during = new ReadLoad.Run[2];
		redis.pause();
		try {
			CompletableFuture<ReadLoad.Run> readersHere = CompletableFuture
				.supplyAsync(() -> load(this.writer).runFor(this.ids, Duration.ofSeconds(10), 2));
			CompletableFuture<ReadLoad.Run> readersThere = CompletableFuture
				.supplyAsync(() -> load(this.other).runFor(this.ids, Duration.ofSeconds(10), 2));
			long end = System.nanoTime() + Duration.ofSeconds(9).toNanos();
			for (int i = 0; System.nanoTime() < end; i++) {
				long started = System.nanoTime();
				rename(this.ids.get(i % this.ids.size()), "Hung " + i);
				writes.add(Duration.ofNanos(System.nanoTime() - started));
				// Pacing the writer through a real hang: one rename every 300 ms.
				// Not a wait for a condition, so not Awaitility.
				sleep(Duration.ofMillis(300));
			}
			during[0] = readersHere.join();
			during[1] = readersThere.join();
		}
		finally {
			redis.resume();
		}
		System.out.println("Writes during the hang: " + writes);
		assertThat(writes).as("writes during the hang")
			.hasSizeGreaterThan(5)
			.allSatisfy((write) -> assertThat(write).isLessThan(Duration.ofSeconds(1)));
		for (ReadLoad.Run run : during) {
			assertThat(run.failures()).isEmpty();
			assertThat(run.percentileMillis(99)).as("p99 of reads during the hang").isLessThan(1000);
		}
		// The writer's instance dropped its own copies at each write: every read there
		// got the name of the last rename acknowledged before it began, or of one made
		// while it ran.
		assertThat(during[0].reads()).allSatisfy((read) -> assertThat(read.name()).isIn(namesDuring(read)));

		awaitBothAvailable();
		checkedRun(load(this.writer), 300);
		checkedRun(load(this.other), 300);
	}

	@Test
	void aKillAndARestartFromTheAppendOnlyFileLeaveNoStaleReadOnEitherInstance() {
		long epochBefore = this.other.bean(CacheResilience.class).epoch();
		redis.kill();
		for (int i = 0; i < 5; i++) {
			rename(this.ids.get(i), "Killed " + i);
		}
		checkedRun(load(this.writer), 100);

		redis.restart();
		awaitBothAvailable();
		checkedRun(load(this.writer), 300);
		checkedRun(load(this.other), 300);
		assertThat(this.other.bean(CacheResilience.class).epoch()).isGreaterThan(epochBefore);
	}

	private void awaitBothAvailable() {
		await().atMost(RECOVERY)
			.until(() -> this.writer.bean(CacheResilience.class).available()
					&& this.other.bean(CacheResilience.class).available());
	}

	private void rename(String id, String name) {
		long sent = System.nanoTime();
		this.writer.api().patch(id, Map.of("name", name), null).expectStatus().isOk();
		this.names.put(id, name);
		this.renames.add(new Rename(id, name, sent, System.nanoTime()));
	}

	/**
	 * The names a read may have seen: the last one acknowledged before it began, or one
	 * whose write was under way while it ran.
	 */
	private List<String> namesDuring(ReadLoad.Read read) {
		long ended = read.started() + read.nanos();
		List<String> names = new ArrayList<>();
		names.add(this.initialNames.get(read.id()));
		for (Rename rename : this.renames) {
			if (!rename.id().equals(read.id()) || rename.sent() > ended) {
				continue;
			}
			if (rename.acknowledged() < read.started()) {
				names.clear();
			}
			names.add(rename.name());
		}
		return names;
	}

	/** A read load whose every read must answer 200 with the current name. */
	private void checkedRun(ReadLoad load, int reads) {
		ReadLoad.Run run = load.run(this.ids, reads, 8);
		assertThat(run.failures()).isEmpty();
		assertThat(run.reads()).allSatisfy((read) -> assertThat(read.name()).isEqualTo(this.names.get(read.id())));
	}

	private static ReadLoad load(Instance instance) {
		return new ReadLoad(Integer.parseInt(instance.context().getEnvironment().getProperty("local.server.port")));
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private record Rename(String id, String name, long sent, long acknowledged) {

	}

	/** This class's Redis and the suite's MongoDB server. */
	@TestConfiguration(proxyBeanMethods = false)
	static class OwnRedis extends OwnRedisConfiguration {

		@Override
		protected RedisServerProcess redis() {
			return redis;
		}

	}

}
