package io.productstore.product;

import java.util.UUID;

import io.productstore.support.Instance;
import io.productstore.support.RealServersConfiguration;
import io.productstore.support.RedisServerProcess;
import io.productstore.support.TestServers;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.productstore.support.ProductApi.product;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that keyed creates are refused with 503 and {@code Retry-After} while Redis
 * cannot be asked (hung or gone), creating nothing, while creates without a key go on; on
 * an instance with a Redis server of its own.
 */
class IdempotentCreateOutageIntegrationTests {

	private static RedisServerProcess redis;

	private static Instance instance;

	@BeforeAll
	static void startInstanceOnItsOwnRedis() {
		redis = RedisServerProcess.start();
		instance = Instance.start(new Class<?>[] { OwnRedis.class }, "--app.idempotency.timeout=500ms",
				"--app.cache.resilience.timeout=500ms", "--spring.data.redis.timeout=500ms");
	}

	@AfterAll
	static void stop() {
		if (instance != null) {
			instance.close();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void keyedCreatesAre503WhileRedisHangsOrIsGoneAndUnkeyedOnesGoOn() {
		String category = "idem-outage-" + new ObjectId();
		WebTestClient client = instance.api().client();
		String key = UUID.randomUUID().toString();
		keyed(client, UUID.randomUUID().toString(), category).expectStatus().isCreated();

		redis.pause();
		try {
			refused(keyed(client, key, category));
		}
		finally {
			redis.resume();
		}
		redis.kill();
		refused(keyed(client, key, category));
		instance.api().create(product("category", category)).expectStatus().isCreated();
		assertThat(stored(category)).isEqualTo(2);

		redis.restart();
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(30))
			.untilAsserted(() -> keyed(client, key, category).expectStatus().isCreated());
		assertThat(stored(category)).isEqualTo(3);
	}

	private static void refused(WebTestClient.ResponseSpec response) {
		response.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.valueMatches(HttpHeaders.RETRY_AFTER, "[1-9][0-9]*")
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("https://productstore.example/problems/idempotency-unavailable");
	}

	private static WebTestClient.ResponseSpec keyed(WebTestClient client, String key, String category) {
		return client.post()
			.uri("/api/products")
			.headers(io.productstore.support.ProductApi.as(io.productstore.support.ProductApi.EDITOR))
			.header("Idempotency-Key", key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(product("category", category))
			.exchange();
	}

	private static long stored(String category) {
		return instance.bean(ReactiveMongoTemplate.class)
			.count(new Query(Criteria.where("category").is(category)), Product.class)
			.block();
	}

	/** The suite's MongoDB and this test's own Redis server. */
	@TestConfiguration(proxyBeanMethods = false)
	static class OwnRedis {

		@Bean
		MongoConnectionDetails mongoConnectionDetails() {
			com.mongodb.ConnectionString uri = new com.mongodb.ConnectionString(TestServers.mongoUri());
			return () -> uri;
		}

		@Bean
		DataRedisConnectionDetails redisConnectionDetails() {
			return RealServersConfiguration.redisConnectionDetails(redis);
		}

	}

}
