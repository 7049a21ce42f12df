package io.productstore.product;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.productstore.support.ProductApi;
import io.productstore.support.RealServersConfiguration;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.data.mongodb.core.mapping.event.ReactiveAfterSaveCallback;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static io.productstore.support.ProductApi.product;
import static org.awaitility.Awaitility.await;

/**
 * Tests that a write MongoDB applied always reaches the cache, whatever happens to the
 * request: a hook after the MongoDB write (an after-save callback) holds the write or
 * fails it there, so the race is reproduced deterministically.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@Import({ RealServersConfiguration.class, ProductWriteOutcomeIntegrationTests.AfterSaveHook.class })
class ProductWriteOutcomeIntegrationTests {

	@Autowired
	WebTestClient client;

	@Autowired
	AfterSaveHook hook;

	@LocalServerPort
	int port;

	ProductApi api;

	String category;

	@BeforeEach
	void setUp() {
		this.api = new ProductApi(this.client);
		this.category = "outcome-" + new ObjectId();
	}

	@AfterEach
	void disarm() {
		this.hook.disarm();
	}

	@Test
	void aWriteWhoseRequestIsCancelledAfterMongoDbAppliedItStillReachesTheCache() {
		String id = this.api.createdId(product("category", this.category, "stock", 1));
		servedFromCache(id, 1);
		Sinks.Empty<Void> release = this.hook.hold();

		Disposable request = WebClient.create("http://localhost:" + this.port)
			.patch()
			.uri("/api/products/{id}", id)
			.headers(ProductApi.as(ProductApi.EDITOR))
			.contentType(MediaType.valueOf("application/merge-patch+json"))
			.bodyValue("{\"stock\":2}")
			.retrieve()
			.toBodilessEntity()
			.subscribe(null, (ex) -> {
			});
		await().atMost(Duration.ofSeconds(10)).until(this.hook::reached);
		// MongoDB holds the new version now; the client goes away before the answer.
		request.dispose();
		release.tryEmitEmpty();

		await().atMost(Duration.ofSeconds(1))
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> this.api.get(id).expectBody().jsonPath("$.stock").isEqualTo(2));
	}

	@Test
	void aWriteWhoseOutcomeIsUnknownEvictsTheCachedProduct() {
		String id = this.api.createdId(product("category", this.category, "stock", 1));
		servedFromCache(id, 1);
		this.hook.failAfterWrite();

		this.api.patch(id, "{\"stock\":3}", null).expectStatus().is5xxServerError();

		// MongoDB applied it; the reply was "lost": the cache must not keep the old
		// value.
		this.api.get(id).expectStatus().isOk().expectBody().jsonPath("$.stock").isEqualTo(3);
		this.api.list("?category=" + this.category).expectBody().jsonPath("$.items[0].stock").isEqualTo(3);
	}

	private void servedFromCache(String id, int stock) {
		this.api.list("?category=" + this.category).expectStatus().isOk();
		this.api.list("?category=" + this.category).expectHeader().valueEquals("X-Cache", "HIT");
		this.api.get(id).expectBody().jsonPath("$.stock").isEqualTo(stock);
		this.api.get(id).expectHeader().valueEquals("X-Cache", "HIT");
	}

	/**
	 * Runs after MongoDB has applied a save: holds it until released, or fails it as a
	 * lost reply would.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class AfterSaveHook {

		private final AtomicReference<Mono<Void>> gate = new AtomicReference<>();

		private volatile boolean reached;

		private volatile boolean fail;

		Sinks.Empty<Void> hold() {
			Sinks.Empty<Void> release = Sinks.empty();
			this.reached = false;
			this.gate.set(release.asMono());
			return release;
		}

		void failAfterWrite() {
			this.fail = true;
		}

		boolean reached() {
			return this.reached;
		}

		void disarm() {
			this.gate.set(null);
			this.fail = false;
		}

		@Bean
		ReactiveAfterSaveCallback<Product> holdingAfterSave() {
			return (product, document, collection) -> {
				if (this.fail) {
					this.fail = false;
					return Mono.error(new DataAccessResourceFailureException("reply lost after the write"));
				}
				Mono<Void> held = this.gate.getAndSet(null);
				if (held == null) {
					return Mono.just(product);
				}
				this.reached = true;
				return held.thenReturn(product);
			};
		}

	}

}
