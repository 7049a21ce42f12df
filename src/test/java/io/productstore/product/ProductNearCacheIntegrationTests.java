package io.productstore.product;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.productstore.cache.CacheAvailabilityChanged;
import io.productstore.cache.admin.CacheAdministration;
import io.productstore.support.Instance;
import io.productstore.support.NearCacheWaits;
import io.productstore.support.ProductApi;
import io.productstore.support.RealServersConfiguration;
import io.productstore.support.TestServers;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.productstore.support.ProductApi.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the near cache behind {@link ProductService} across two instances sharing
 * Redis and MongoDB: cross-instance invalidation, read-your-writes and the subscription
 * dropping. The second instance keeps near entries for 10 minutes, so only invalidation
 * (never the TTL) can make it see a change within these tests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@Import(RealServersConfiguration.class)
class ProductNearCacheIntegrationTests {

	private static final String SECOND_CLIENT = "near-cache-it-second";

	private static Instance second;

	@Autowired
	WebTestClient client;

	@Autowired
	ReactiveMongoTemplate mongo;

	@Autowired
	ReactiveStringRedisTemplate redis;

	@Autowired
	CacheAdministration cache;

	ProductApi api;

	ProductApi secondApi;

	String category;

	@BeforeAll
	static void startSecondInstance() {
		second = Instance.onRealServers("--app.cache.near.ttl=10m", "--spring.data.redis.client-name=" + SECOND_CLIENT);
	}

	@AfterAll
	static void stopSecondInstance() {
		second.close();
	}

	@BeforeEach
	void setUp() {
		this.api = new ProductApi(this.client);
		this.secondApi = second.api();
		this.category = "near-" + new ObjectId();
		NearCacheWaits.awaitActive(this.cache);
		NearCacheWaits.awaitActive(secondCache());
	}

	@Test
	void aWriteOnOneInstanceIsVisibleOnItselfAtOnceAndOnTheOtherWithinThePubSubDelay() {
		String id = this.api.createdId(product("category", this.category, "name", "Before"));
		String count = "/count?category=" + this.category;
		NearCacheWaits.awaitServedFromMemory(this.api, id);
		NearCacheWaits.awaitServedFromMemory(this.secondApi, id);
		this.secondApi.list(count).expectBody().jsonPath("$.count").isEqualTo(1);
		this.secondApi.list(count).expectHeader().valueEquals("X-Cache-Level", "near");

		this.api.replace(id, product("category", this.category, "name", "After"), null).expectStatus().isOk();
		long written = System.nanoTime();
		// Read-your-writes: the writing instance evicted its own copy before answering.
		this.api.get(id).expectBody().jsonPath("$.name").isEqualTo("After");
		await().atMost(Duration.ofSeconds(2))
			.pollInterval(Duration.ofMillis(1))
			.until(() -> "After".equals(name(this.secondApi, id)));
		long millis = (System.nanoTime() - written) / 1_000_000;
		System.out.println("Near cache: a write became visible on the other instance after " + millis + " ms");

		this.api.createdId(product("category", this.category));
		await().atMost(Duration.ofSeconds(2))
			.pollInterval(Duration.ofMillis(1))
			.untilAsserted(() -> this.secondApi.list(count).expectBody().jsonPath("$.count").isEqualTo(2));
	}

	@Test
	void aDroppedSubscriptionLeavesNoStaleEntryInMemory() {
		String id = this.api.createdId(product("category", this.category, "stock", 1));
		NearCacheWaits.awaitServedFromMemory(this.secondApi, id);
		long suspensions = secondCache().stats().block().near().suspensions();

		// A change whose invalidation message is lost: MongoDB and Redis change behind
		// the service's back, and the second instance still serves its copy.
		this.mongo
			.updateFirst(Query.query(Criteria.where("_id").is(new ObjectId(id))), Update.update("stock", 2),
					Product.class)
			.block();
		this.redis.unlink("productstore:product:{" + id + "}").block();
		this.secondApi.get(id).expectHeader().valueEquals("X-Cache-Level", "near");
		this.secondApi.get(id).expectBody().jsonPath("$.stock").isEqualTo(1);

		killPubSubConnections();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(secondCache().stats().block().near().suspensions()).isGreaterThan(suspensions));
		this.secondApi.get(id).expectBody().jsonPath("$.stock").isEqualTo(2);
		// Resubscribed by itself, the instance fills its memory again.
		NearCacheWaits.awaitActive(secondCache());
		NearCacheWaits.awaitServedFromMemory(this.secondApi, id);
		this.secondApi.get(id).expectBody().jsonPath("$.stock").isEqualTo(2);
	}

	@Test
	void anUnavailableRedisClearsTheNearCacheUntilItIsAvailableAgain() {
		String id = this.api.createdId(product("category", this.category));
		NearCacheWaits.awaitServedFromMemory(this.secondApi, id);
		second.context().publishEvent(new CacheAvailabilityChanged(false, "test"));
		assertThat(secondCache().stats().block().near()).satisfies((near) -> {
			assertThat(near.state()).isEqualTo("SUSPENDED");
			assertThat(near.entries()).isZero();
		});
		this.secondApi.get(id).expectHeader().valueEquals("X-Cache-Level", "redis");
		this.secondApi.get(id).expectHeader().valueEquals("X-Cache-Level", "redis");
		second.context().publishEvent(new CacheAvailabilityChanged(true, "test"));
		NearCacheWaits.awaitActive(secondCache());
		NearCacheWaits.awaitServedFromMemory(this.secondApi, id);
	}

	private CacheAdministration secondCache() {
		return second.bean(CacheAdministration.class);
	}

	@SuppressWarnings("unchecked")
	private static String name(ProductApi api, String id) {
		EntityExchangeResult<Map> result = api.get(id).expectBody(Map.class).returnResult();
		return (String) result.getResponseBody().get("name");
	}

	/**
	 * Kills the second instance's pub/sub connection, found by its client name: the
	 * suite's Redis serves other live contexts too, whose subscriptions stay.
	 */
	private static void killPubSubConnections() {
		RedisClient client = RedisClient
			.create("redis://" + TestServers.redis().host() + ":" + TestServers.redis().port());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			List<Long> ids = Arrays.stream(connection.sync().clientList().split("\n"))
				.filter((line) -> line.contains(" name=" + SECOND_CLIENT + " ") && !line.contains(" sub=0 "))
				.map((line) -> Long.parseLong(line.substring(3, line.indexOf(' '))))
				.toList();
			assertThat(ids).isNotEmpty();
			for (long id : ids) {
				assertThat(connection.sync().clientKill(KillArgs.Builder.id(id))).isOne();
			}
		}
		finally {
			client.shutdown();
		}
	}

}
