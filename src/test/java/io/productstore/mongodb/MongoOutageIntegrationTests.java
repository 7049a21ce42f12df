package io.productstore.mongodb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.mongodb.ConnectionString;
import de.bwaldvogel.mongo.MongoServer;
import io.productstore.embedded.EmbeddedMongoBackend;
import io.productstore.support.ProductApi;
import io.productstore.support.RealServersConfiguration;
import io.productstore.support.RedisServerProcess;
import io.productstore.support.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.productstore.support.ProductApi.as;
import static io.productstore.support.ProductApi.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link MongoTimeoutConfiguration}: the service against its own MongoDB
 * wire-protocol server, stopped and started again. Reads of entries in Redis keep being
 * served, reads that need MongoDB and writes fail fast with 503 and leave the cache
 * untouched, and the service recovers by itself.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "app.cache.key-prefix=mongo-outage-it:", "app.mongodb.server-selection-timeout=1s" })
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@Import(MongoOutageIntegrationTests.OwnMongo.class)
// Closed after the class: its servers die with it, and a cached context would keep
// probing them (heartbeat, reconnects) for the rest of the suite.
@DirtiesContext
class MongoOutageIntegrationTests {

	private static final Path DATA = dataFile();

	private static final int PORT = freePort();

	private static MongoServer mongo = startMongo();

	@Autowired
	private WebTestClient client;

	@AfterAll
	static void stopMongo() {
		mongo.shutdownNow();
	}

	@Test
	void servesCachedReadsAndFailsFastWithoutMongoThenRecoversByItself() {
		ProductApi api = new ProductApi(this.client);
		String warm = api.createdId(product("name", "Warm kettle", "category", "mongo-outage"));
		String cold = api.createdId(product("name", "Cold kettle", "category", "mongo-outage"));
		this.client.delete().uri("/api/cache/products/{id}", cold).headers(as(ProductApi.ADMIN)).exchange();
		api.list("?category=mongo-outage").expectStatus().isOk();
		api.list("?category=mongo-outage").expectHeader().valueEquals("X-Cache", "HIT");

		mongo.shutdownNow();

		api.get(warm)
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-Cache", "HIT")
			.expectBody()
			.jsonPath("$.name")
			.isEqualTo("Warm kettle");
		api.list("?category=mongo-outage").expectStatus().isOk().expectHeader().valueEquals("X-Cache", "HIT");
		long start = System.nanoTime();
		unavailable(api.get(cold));
		unavailable(api.list("?category=something-else"));
		unavailable(api.patch(warm, Map.of("name", "Lost kettle"), null));
		unavailable(api.create(product("name", "Never stored")));
		// Four requests, each failing within the 1 s server selection timeout.
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(12));
		api.get(warm)
			.expectHeader()
			.valueEquals("X-Cache", "HIT")
			.expectBody()
			.jsonPath("$.name")
			.isEqualTo("Warm kettle");

		mongo = startMongo();

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(
					() -> api.get(cold).expectStatus().isOk().expectBody().jsonPath("$.name").isEqualTo("Cold kettle"));
		api.patch(warm, Map.of("name", "Warm kettle, renamed after the outage"), null).expectStatus().isOk();
		api.get(warm).expectBody().jsonPath("$.name").isEqualTo("Warm kettle, renamed after the outage");
		api.list("?category=mongo-outage").expectStatus().isOk().expectBody().jsonPath("$.totalItems").isEqualTo(2);
	}

	private static void unavailable(WebTestClient.ResponseSpec response) {
		response.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(503);
	}

	private static MongoServer startMongo() {
		MongoServer server = new MongoServer(new EmbeddedMongoBackend(DATA.toString()));
		server.bind("127.0.0.1", PORT);
		return server;
	}

	private static Path dataFile() {
		try {
			return Files.createTempDirectory("mongo-outage").resolve("data.mv");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Points the service at this class's own MongoDB and at the shared Redis. */
	@TestConfiguration(proxyBeanMethods = false)
	static class OwnMongo {

		@Bean
		MongoConnectionDetails mongoConnectionDetails() {
			ConnectionString uri = new ConnectionString("mongodb://127.0.0.1:" + PORT + "/mongo-outage-it");
			return () -> uri;
		}

		@Bean
		DataRedisConnectionDetails redisConnectionDetails() {
			RedisServerProcess redis = TestServers.redis();
			return RealServersConfiguration.redisConnectionDetails(redis);
		}

	}

}
