package io.productstore.product;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.productstore.cache.changes.ChangeStreams;
import io.productstore.support.Instance;
import io.productstore.support.ProductApi;
import io.productstore.support.RealServersConfiguration;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.mapping.event.ReactiveAfterSaveCallback;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static io.productstore.support.ProductApi.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for invalidation from MongoDB's change stream across two instances sharing Redis
 * and MongoDB: writes made behind the service's back, and a write of the service whose
 * request was cancelled after MongoDB applied it, are served by both within 1 s. Both
 * keep near entries for 10 minutes, so only an invalidation (never a TTL) can make them
 * serve a change in time.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "app.cache.change-stream.enabled=true", "app.cache.key-prefix=changes:",
				"app.cache.near.ttl=10m" })
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@Import({ RealServersConfiguration.class, ProductChangeStreamIntegrationTests.HeldSaves.class })
class ProductChangeStreamIntegrationTests {

	private static final Duration WITHIN = Duration.ofSeconds(1);

	private static Instance second;

	@Autowired
	WebTestClient client;

	@Autowired
	ReactiveMongoTemplate mongo;

	@LocalServerPort
	int port;

	ProductApi api;

	ProductApi secondApi;

	String category;

	@BeforeAll
	static void startSecondInstance() {
		second = Instance.onRealServers("--app.cache.change-stream.enabled=true", "--app.cache.key-prefix=changes:",
				"--app.cache.near.ttl=10m");
	}

	@AfterAll
	static void stopSecondInstance() {
		second.close();
	}

	@BeforeEach
	void setUp() {
		this.api = new ProductApi(this.client);
		this.secondApi = second.api();
		this.category = "changes-" + new ObjectId();
	}

	@Test
	void directUpdatesReplacesDeletesAndInsertsAreServedByBothInstancesWithinOneSecond() {
		String updated = this.api.createdId(product("category", this.category, "name", "A", "stock", 1));
		String replaced = this.api.createdId(product("category", this.category, "name", "B"));
		String deleted = this.api.createdId(product("category", this.category, "name", "C"));
		String inserted = new ObjectId().toHexString();
		String list = "?sort=name,asc&category=" + this.category;
		for (ProductApi instance : List.of(this.api, this.secondApi)) {
			List.of(updated, replaced, deleted).forEach((id) -> awaitServedFromMemory(instance, id));
			instance.get(inserted).expectStatus().isNotFound();
			instance.get(inserted).expectStatus().isNotFound().expectHeader().valueEquals("X-Cache-Level", "near");
			assertThat(names(instance, list)).containsExactly("A", "B", "C");
			assertThat(count(instance)).isEqualTo(3);
		}

		// Behind the service's back, as a shell or another service would write.
		write(collection().updateOne(Filters.eq("_id", new ObjectId(updated)),
				Updates.combine(Updates.set("name", "A2"), Updates.inc("stock", 5), Updates.inc("version", 1))));
		Document replacement = Mono.from(collection().find(Filters.eq("_id", new ObjectId(replaced))).first()).block();
		replacement.put("name", "B2");
		replacement.put("version", replacement.getLong("version") + 1);
		write(collection().replaceOne(Filters.eq("_id", new ObjectId(replaced)), replacement));
		write(collection().deleteOne(Filters.eq("_id", new ObjectId(deleted))));
		replacement.put("_id", new ObjectId(inserted));
		replacement.put("name", "D");
		write(collection().insertOne(replacement));
		long written = System.nanoTime();

		List<Callable<Boolean>> served = new ArrayList<>();
		for (ProductApi instance : List.of(this.api, this.secondApi)) {
			served.add(() -> "A2".equals(name(instance, updated)) && stock(instance, updated) == 6);
			served.add(() -> "B2".equals(name(instance, replaced)));
			served.add(() -> status(instance, deleted) == 404);
			served.add(() -> "D".equals(name(instance, inserted)));
			served.add(() -> names(instance, list).equals(List.of("A2", "B2", "D")));
			served.add(() -> count(instance) == 3);
		}
		Duration slowest = servedWithin(written, served);
		System.out.println("Change stream: four direct writes served by both instances after " + slowest.toMillis()
				+ " ms; lag p99 (change to invalidation) " + second.bean(ChangeStreams.class).stats().lagP99Millis()
				+ " ms");
	}

	@Test
	void aWriteWhoseRequestWasCancelledAfterMongoDbAppliedItIsServedByBothInstancesWithinOneSecond() {
		String id = this.api.createdId(product("category", this.category, "name", "Before"));
		awaitServedFromMemory(this.api, id);
		awaitServedFromMemory(this.secondApi, id);

		// The save reaches MongoDB; the request then hangs after it (HeldSaves) and the
		// client gives up: the service's own cache step never runs.
		Disposable request = WebClient.create("http://127.0.0.1:" + this.port)
			.put()
			.uri("/api/products/{id}", id)
			.headers(ProductApi.as(ProductApi.EDITOR))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(product("category", this.category, "name", HeldSaves.HELD))
			.retrieve()
			.toBodilessEntity()
			.subscribe();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> HeldSaves.HELD
				.equals(Mono.from(collection().find(Filters.eq("_id", new ObjectId(id))).first()).block().get("name")));
		request.dispose();
		long cancelled = System.nanoTime();

		Duration slowest = servedWithin(cancelled, List.of(() -> HeldSaves.HELD.equals(name(this.api, id)),
				() -> HeldSaves.HELD.equals(name(this.secondApi, id))));
		System.out
			.println("Change stream: a cancelled write served by both instances after " + slowest.toMillis() + " ms");
	}

	/**
	 * Polls every read on its own thread until it shows the change, and fails unless each
	 * was first seen by a read sent within {@link #WITHIN} of the change: a read's own
	 * time on a loaded machine (a cold list is a MongoDB query) is not the cache's lag.
	 * @return the longest time from the change to a read that showed it
	 */
	private static Duration servedWithin(long changedAt, List<Callable<Boolean>> reads) {
		List<CompletableFuture<Long>> polls = reads.stream().map((read) -> CompletableFuture.supplyAsync(() -> {
			long[] sent = new long[1];
			await().atMost(WITHIN.plusSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> {
				sent[0] = System.nanoTime();
				return read.call();
			});
			return sent[0] - changedAt;
		})).toList();
		Duration slowest = Duration.ofNanos(polls.stream().mapToLong(CompletableFuture::join).max().orElse(0));
		assertThat(slowest).isLessThan(WITHIN);
		return slowest;
	}

	private com.mongodb.reactivestreams.client.MongoCollection<Document> collection() {
		return this.mongo.getCollection("products").block();
	}

	private static void write(org.reactivestreams.Publisher<?> write) {
		Mono.from(write).block(Duration.ofSeconds(10));
	}

	private static void awaitServedFromMemory(ProductApi api, String id) {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> api.get(id).expectStatus().isOk().expectHeader().valueEquals("X-Cache-Level", "near"));
	}

	private static int status(ProductApi api, String id) {
		return api.get(id).returnResult(String.class).getStatus().value();
	}

	private static String name(ProductApi api, String id) {
		Map<?, ?> body = body(api, id);
		return (body != null) ? (String) body.get("name") : null;
	}

	private static int stock(ProductApi api, String id) {
		Map<?, ?> body = body(api, id);
		return (body != null) ? ((Number) body.get("stock")).intValue() : -1;
	}

	private static Map<?, ?> body(ProductApi api, String id) {
		return api.get(id).expectBody(Map.class).returnResult().getResponseBody();
	}

	private static List<String> names(ProductApi api, String list) {
		Map<?, ?> page = api.list(list).expectBody(Map.class).returnResult().getResponseBody();
		return ((List<?>) page.get("items")).stream().map((item) -> (String) ((Map<?, ?>) item).get("name")).toList();
	}

	private int count(ProductApi api) {
		Map<?, ?> count = api.list("/count?category=" + this.category)
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		return ((Number) count.get("count")).intValue();
	}

	/**
	 * Holds a save of a product named {@link #HELD} after MongoDB applied it, forever:
	 * the request can only end by being cancelled.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class HeldSaves {

		static final String HELD = "Held after its save";

		@Bean
		ReactiveAfterSaveCallback<Product> holdMarkedSaves() {
			return (saved, document, collection) -> HELD.equals(saved.name()) ? Mono.never() : Mono.just(saved);
		}

	}

}
