package io.productstore.product;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.exception.MongoServerError;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.netty.channel.Channel;
import io.productstore.cache.changes.ChangeStreamStats;
import io.productstore.cache.changes.ChangeStreams;
import io.productstore.cache.outage.CacheResilience;
import io.productstore.embedded.EmbeddedMongoBackend;
import io.productstore.support.Instance;
import io.productstore.support.ProductApi;
import io.productstore.support.RealServersConfiguration;
import io.productstore.support.TcpProxy;
import io.productstore.support.TestServers;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;

import static io.productstore.support.ProductApi.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for how the change stream of one instance gets over a gap: its connection to
 * MongoDB cut and restored, a restart, a resume position the server cannot resume from,
 * and a MongoDB without change streams. Each instance has a key prefix of its own, so
 * only its own stream can invalidate what it cached.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProductChangeStreamResumeIntegrationTests {

	private static final String FOLLOWING = "--app.cache.change-stream.enabled=true";

	private static final String NEAR_FOR_LONG = "--app.cache.near.ttl=10m";

	private static MongoClient mongo;

	private static RedisClient redis;

	@BeforeAll
	static void connect() {
		mongo = MongoClients.create(TestServers.mongoUri());
		redis = RedisClient.create("redis://" + TestServers.redis().host() + ":" + TestServers.redis().port());
	}

	@AfterAll
	static void disconnect() {
		mongo.close();
		redis.shutdown();
	}

	@Test
	void missesNoChangeMadeWhileItsConnectionToMongoDbWasCut() {
		String category = "cut-" + new ObjectId();
		try (TcpProxy proxy = TcpProxy.start("127.0.0.1", TestServers.mongo().getLocalAddress().getPort());
				Instance instance = Instance.start(new Class<?>[] { ProxiedMongo.class }, FOLLOWING, NEAR_FOR_LONG,
						"--app.cache.key-prefix=cut:", "--test.mongo-proxy-port=" + proxy.port())) {
			ProductApi api = instance.api();
			String first = api.createdId(product("category", category, "name", "First", "stock", 0));
			String second = api.createdId(product("category", category, "name", "Second"));
			awaitServed(api, first, "First");
			warm(api, category, 2, first, second);
			ChangeStreamStats before = stats(instance);

			proxy.cut();
			await().atMost(Duration.ofSeconds(30)).until(() -> "RESUMING".equals(stats(instance).state()));
			for (int i = 1; i <= 3; i++) {
				write(products().updateOne(Filters.eq("_id", new ObjectId(first)),
						Updates.combine(Updates.inc("stock", 1), Updates.inc("version", 1))));
			}
			write(products().deleteOne(Filters.eq("_id", new ObjectId(second))));
			String third = insertLike(first, category, "Third");
			// Still served from its cache, as before the cut.
			assertThat(name(api, second)).isEqualTo("Second");
			proxy.restore();

			await().atMost(Duration.ofSeconds(15)).until(() -> "FOLLOWING".equals(stats(instance).state()));
			await().atMost(Duration.ofSeconds(2))
				.untilAsserted(
						() -> assertThat(body(api, first)).containsEntry("stock", 3).containsEntry("version", 3));
			await().atMost(Duration.ofSeconds(2)).until(() -> status(api, second) == 404);
			assertThat(name(api, third)).isEqualTo("Third");
			assertThat(count(api, category)).isEqualTo(2);
			ChangeStreamStats after = stats(instance);
			assertThat(after.resumes()).isGreaterThan(before.resumes());
			assertThat(after.epochBumps()).isEqualTo(before.epochBumps());
		}
	}

	@Test
	void resumesAfterARestartFromThePositionItStoredInRedis() {
		String category = "restart-" + new ObjectId();
		String id;
		try (Instance instance = Instance.onRealServers(FOLLOWING, "--app.cache.key-prefix=restart:")) {
			ProductApi api = instance.api();
			id = api.createdId(product("category", category, "name", "Before"));
			warm(api, category, 1, id);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> stats(instance).events() > 0 && storedPosition("restart:") != null);
		}
		write(products().updateOne(Filters.eq("_id", new ObjectId(id)),
				Updates.combine(Updates.set("name", "While down"), Updates.inc("version", 1))));
		String added = insertLike(id, category, "Added while down");

		try (Instance instance = Instance.onRealServers(FOLLOWING, "--app.cache.key-prefix=restart:")) {
			ProductApi api = instance.api();
			long started = System.nanoTime();
			await().atMost(Duration.ofSeconds(1))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> "While down".equals(name(api, id)) && count(api, category) == 2);
			System.out.println("Change stream: changes made while the instance was down served "
					+ Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms after its start");
			assertThat(name(api, added)).isEqualTo("Added while down");
			assertThat(stats(instance).resumes()).isPositive();
			assertThat(stats(instance).epochBumps()).isZero();
		}
	}

	@Test
	void bumpsTheEpochWhenTheServerCannotResumeFromTheStoredPosition(CapturedOutput output) {
		String category = "lost-" + new ObjectId();
		String id;
		long epoch;
		try (Instance instance = Instance.onRealServers(FOLLOWING, "--app.cache.key-prefix=lost:")) {
			ProductApi api = instance.api();
			id = api.createdId(product("category", category, "name", "Before"));
			warm(api, category, 1, id);
			epoch = instance.bean(CacheResilience.class).epoch();
		}
		write(products().updateOne(Filters.eq("_id", new ObjectId(id)),
				Updates.combine(Updates.set("name", "After"), Updates.inc("version", 1))));
		// A recent position with a token of another cluster (a real MongoDB's format).
		BsonTimestamp now = (BsonTimestamp) Mono.from(mongo.getDatabase("admin").runCommand(new Document("hello", 1)))
			.block()
			.get("operationTime");
		store("lost:", String.format("%020d", now.getValue()) + " " + System.currentTimeMillis()
				+ " {\"_data\": \"8263F1A2B3000000012B022C0100296E5A1004\"}");

		try (Instance instance = Instance.onRealServers(FOLLOWING, "--app.cache.key-prefix=lost:")) {
			ProductApi api = instance.api();
			// No wait: the start-up made Redis unsafe to read until the epoch was bumped.
			assertThat(name(api, id)).isEqualTo("After");
			assertThat(count(api, category)).isEqualTo(1);
			await().atMost(Duration.ofSeconds(10)).until(() -> instance.bean(CacheResilience.class).epoch() > epoch);
			assertThat(stats(instance).epochBumps()).isEqualTo(1);
			assertThat(output.getOut().split("starts afresh at cluster time", -1)).hasSize(2);
		}
	}

	@Test
	void logsOneWarningAndServesAsBeforeWhenMongoDbOffersNoChangeStreams(@TempDir Path data, CapturedOutput output) {
		MongoServer standalone = new MongoServer(new Standalone(data.resolve("standalone.mv").toString()));
		standalone.bind("127.0.0.1", 0);
		try (Instance instance = Instance.start(new Class<?>[] { StandaloneMongo.class }, FOLLOWING,
				"--app.cache.key-prefix=standalone:",
				"--test.standalone-port=" + standalone.getLocalAddress().getPort())) {
			ProductApi api = instance.api();
			String id = api.createdId(product("name", "Served"));
			api.get(id).expectStatus().isOk().expectHeader().valueEquals("X-Cache", "HIT");
			assertThat(stats(instance).state()).isEqualTo("UNSUPPORTED");
			assertThat(output.getOut().split("MongoDB offers no change streams", -1)).hasSize(2);
			api.client()
				.get()
				.uri("/actuator/health")
				.headers(ProductApi.as(ProductApi.ADMIN))
				.exchange()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("UP")
				.jsonPath("$.components.changeStream.status")
				.isEqualTo("DEGRADED");
		}
		finally {
			standalone.shutdownNow();
		}
	}

	private static void warm(ProductApi api, String category, int count, String... ids) {
		for (String id : ids) {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> api.get(id).expectHeader().valueEquals("X-Cache-Level", "near"));
		}
		assertThat(count(api, category)).isEqualTo(count);
		api.list("/count?category=" + category).expectHeader().valueEquals("X-Cache-Level", "near");
	}

	private static void awaitServed(ProductApi api, String id, String name) {
		await().atMost(Duration.ofSeconds(10)).until(() -> name.equals(name(api, id)));
	}

	private static ChangeStreamStats stats(Instance instance) {
		return instance.bean(ChangeStreams.class).stats();
	}

	private static MongoCollection<Document> products() {
		return mongo.getDatabase("productstore").getCollection("products");
	}

	private static String insertLike(String id, String category, String name) {
		Document copy = Mono.from(products().find(Filters.eq("_id", new ObjectId(id))).first()).block();
		ObjectId added = new ObjectId();
		copy.put("_id", added);
		copy.put("name", name);
		copy.put("category", category);
		write(products().insertOne(copy));
		return added.toHexString();
	}

	private static void write(org.reactivestreams.Publisher<?> write) {
		Mono.from(write).block(Duration.ofSeconds(10));
	}

	private static String storedPosition(String prefix) {
		try (StatefulRedisConnection<String, String> connection = redis.connect()) {
			return connection.sync().get(prefix + "product:changes");
		}
	}

	private static void store(String prefix, String position) {
		try (StatefulRedisConnection<String, String> connection = redis.connect()) {
			connection.sync().set(prefix + "product:changes", position);
		}
	}

	private static int status(ProductApi api, String id) {
		return api.get(id).returnResult(String.class).getStatus().value();
	}

	private static String name(ProductApi api, String id) {
		Map<String, Object> body = body(api, id);
		return (body != null) ? (String) body.get("name") : null;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> body(ProductApi api, String id) {
		return api.get(id).expectBody(Map.class).returnResult().getResponseBody();
	}

	private static int count(ProductApi api, String category) {
		Map<?, ?> count = api.list("/count?category=" + category)
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		return ((Number) count.get("count")).intValue();
	}

	/** MongoDB through {@code test.mongo-proxy-port}, Redis as the suite runs it. */
	@TestConfiguration(proxyBeanMethods = false)
	static class ProxiedMongo {

		@Bean
		MongoConnectionDetails proxiedMongo(org.springframework.core.env.Environment environment) {
			com.mongodb.ConnectionString uri = new com.mongodb.ConnectionString("mongodb://127.0.0.1:"
					+ environment.getRequiredProperty("test.mongo-proxy-port") + "/productstore");
			return () -> uri;
		}

		@Bean
		DataRedisConnectionDetails redisConnectionDetails() {
			return RealServersConfiguration.redisConnectionDetails(TestServers.redis());
		}

	}

	/**
	 * The {@link Standalone} server at {@code test.standalone-port}, Redis as the suite
	 * runs it.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class StandaloneMongo {

		@Bean
		MongoConnectionDetails standaloneMongo(org.springframework.core.env.Environment environment) {
			com.mongodb.ConnectionString uri = new com.mongodb.ConnectionString(
					"mongodb://127.0.0.1:" + environment.getRequiredProperty("test.standalone-port") + "/productstore");
			return () -> uri;
		}

		@Bean
		DataRedisConnectionDetails redisConnectionDetails() {
			return RealServersConfiguration.redisConnectionDetails(TestServers.redis());
		}

	}

	/** Answers {@code $changeStream} as a standalone MongoDB does: refused. */
	static class Standalone extends EmbeddedMongoBackend {

		Standalone(String fileName) {
			super(fileName);
		}

		@Override
		public de.bwaldvogel.mongo.bson.Document handleCommand(Channel channel, String database, String command,
				de.bwaldvogel.mongo.bson.Document query) {
			if ("aggregate".equalsIgnoreCase(command) && query.get("pipeline") instanceof List<?> stages
					&& !stages.isEmpty() && stages.get(0) instanceof Map<?, ?> first
					&& first.containsKey("$changeStream")) {
				throw new MongoServerError(40573, "Location40573",
						"The $changeStream stage is only supported on replica sets");
			}
			return super.handleCommand(channel, database, command, query);
		}

	}

}
