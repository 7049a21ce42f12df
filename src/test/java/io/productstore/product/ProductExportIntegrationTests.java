package io.productstore.product;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.productstore.support.ProductApi;
import io.productstore.support.RealServersConfiguration;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.data.mongodb.core.mapping.event.ReactiveAfterConvertCallback;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@code GET /api/products/export} against the suite's real MongoDB: a hook
 * after MongoDB's document is read holds the export at its last product, so streaming is
 * shown deterministically.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@Import({ RealServersConfiguration.class, ProductExportIntegrationTests.ReadHook.class })
// A context of its own (the hooks): closed after the class rather than kept to the JVM's
// end: no other class shares it, and the suite's cached contexts already take more than
// surefire's 30 s exit timeout to shut down.
@DirtiesContext
class ProductExportIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	WebTestClient client;

	@Autowired
	ReadHook hook;

	@LocalServerPort
	int port;

	String category;

	@Autowired
	void client(WebTestClient client) {
		this.client = client.mutate()
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
			.build();
	}

	@BeforeEach
	void category() {
		this.category = "export-" + new ObjectId();
	}

	@AfterEach
	void release() {
		this.hook.release();
	}

	@Test
	void streamsTenThousandProductsInIdOrderSendingTheFirstBeforeTheLastIsRead() {
		List<String> ids = imported(10_000);
		String last = ids.stream().max(Comparator.naturalOrder()).orElseThrow();
		Sinks.Empty<Void> release = this.hook.holdAt(last);
		List<String> exported = new ArrayList<>();

		WebClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/api/products/export?category={category}", this.category)
			.accept(MediaType.APPLICATION_NDJSON)
			.retrieve()
			.bodyToFlux(String.class)
			.map((line) -> json.readTree(line).get("id").asString())
			.as(StepVerifier::create)
			// The server cannot have read the last product: it is held until released.
			.recordWith(() -> exported)
			.expectNextCount(1)
			.then(release::tryEmitEmpty)
			.expectNextCount(9_999)
			.expectComplete()
			.verify(Duration.ofSeconds(120));

		assertThat(this.hook.reached).isTrue();
		assertThat(exported).hasSize(10_000).isSorted().containsExactlyInAnyOrderElementsOf(ids);
	}

	@Test
	void takesTheListFiltersAndWritesProductsAsTheApiShowsThem() {
		List<String> ids = imported(30);
		List<JsonNode> products = exported("?category=" + this.category + "&minPrice=10.5&maxPrice=20.5");
		assertThat(products).extracting((product) -> product.get("price").decimalValue().doubleValue())
			.containsExactly(10.5, 11.5, 12.5, 13.5, 14.5, 15.5, 16.5, 17.5, 18.5, 19.5, 20.5);
		JsonNode first = products.get(0);
		assertThat(ids).contains(first.get("id").asString());
		assertThat(first.get("category").asString()).isEqualTo(this.category);
		assertThat(first.get("version").asLong()).isZero();
		assertThat(first.has("createdAt")).isTrue();
		assertThat(exported("?category=" + this.category + "&tag=none")).isEmpty();
		assertThat(exported("?category=" + this.category + "&q=30")).hasSize(1);
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "?page=1", "?size=10", "?sort=price,asc", "?cursor=abc", "?minPrice=abc", "?category[$ne]=x" })
	void refusesParametersThatDoNotApplyOrAreMalformedWith400(String query) {
		this.client.get()
			.uri("/api/products/export" + query)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	private List<String> imported(int count) {
		StringBuilder body = new StringBuilder();
		for (int i = 1; i <= count; i++) {
			body.append(json.writeValueAsString(
					Map.of("name", "Export " + i, "category", this.category, "price", i + 0.5, "tags", List.of("x"))))
				.append('\n');
		}
		String answer = this.client.post()
			.uri("/api/products/bulk")
			.headers(ProductApi.as(ProductApi.EDITOR))
			.contentType(MediaType.APPLICATION_NDJSON)
			.bodyValue(body.toString().getBytes(StandardCharsets.UTF_8))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		List<String> ids = answer.lines().map((line) -> json.readTree(line).get("id").asString()).toList();
		assertThat(ids).hasSize(count);
		return ids;
	}

	private List<JsonNode> exported(String query) {
		String body = this.client.get()
			.uri("/api/products/export" + query)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		return (body != null) ? body.lines().map(json::readTree).toList() : List.of();
	}

	/** Holds the reading of one product, after MongoDB returned it, until released. */
	@TestConfiguration(proxyBeanMethods = false)
	static class ReadHook {

		private volatile String heldId;

		private volatile Sinks.Empty<Void> gate = Sinks.empty();

		volatile boolean reached;

		Sinks.Empty<Void> holdAt(String id) {
			this.gate = Sinks.empty();
			this.reached = false;
			this.heldId = id;
			return this.gate;
		}

		void release() {
			this.heldId = null;
			this.gate.tryEmitEmpty();
		}

		@Bean
		ReactiveAfterConvertCallback<Product> holdingAfterConvert() {
			return (product, document, collection) -> {
				if (!product.id().equals(this.heldId)) {
					return Mono.just(product);
				}
				this.reached = true;
				return this.gate.asMono().thenReturn(product);
			};
		}

	}

}
