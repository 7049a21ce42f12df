package io.productstore.product;

import java.time.Duration;
import java.util.Map;

import io.productstore.support.ContainersConfiguration;
import io.productstore.support.ProductApi;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.productstore.support.ProductApi.product;
import static org.awaitility.Awaitility.await;

/**
 * Tests for invalidation from the change stream of a real {@code mongo:8} (started by
 * Testcontainers as a single-node replica set) and {@code redis:7}: a direct write is
 * served within 1 s and the stream reports itself healthy. Skipped where Docker is not
 * available; the cases of gaps run against the suite's servers
 * ({@link ProductChangeStreamResumeIntegrationTests}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "app.cache.change-stream.enabled=true", "app.cache.near.ttl=10m" })
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@Testcontainers(disabledWithoutDocker = true)
@Import(ContainersConfiguration.class)
class ProductChangeStreamContainersIntegrationTests {

	@Autowired
	WebTestClient client;

	@Autowired
	ReactiveMongoTemplate mongo;

	@Test
	void servesADirectWriteWithinOneSecond() {
		ProductApi api = new ProductApi(this.client);
		String id = api.createdId(product("category", "containers-" + new ObjectId(), "name", "Before"));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> api.get(id).expectHeader().valueEquals("X-Cache-Level", "near"));
		this.mongo
			.updateFirst(Query.query(Criteria.where("_id").is(new ObjectId(id))),
					Update.update("name", "After").inc("version", 1), Product.class)
			.block();
		await().atMost(Duration.ofSeconds(1))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> "After"
				.equals(api.get(id).expectBody(Map.class).returnResult().getResponseBody().get("name")));
		api.client()
			.get()
			.uri("/actuator/health")
			.headers(ProductApi.as(ProductApi.ADMIN))
			.exchange()
			.expectBody()
			.jsonPath("$.components.changeStream.status")
			.isEqualTo("UP");
	}

}
