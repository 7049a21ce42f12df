package io.productstore.product;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import io.productstore.support.Instance;
import io.productstore.support.ProductApi;
import io.productstore.support.RealServersConfiguration;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
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
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.mapping.event.ReactiveAfterSaveCallback;
import org.springframework.data.mongodb.core.mapping.event.ReactiveBeforeSaveCallback;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static io.productstore.support.ProductApi.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@code POST /api/products} with an {@code Idempotency-Key}, against the
 * suite's real Redis and MongoDB servers: hooks around the MongoDB save hold a create or
 * fail it at a chosen point, so the races are reproduced deterministically.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@Import({ RealServersConfiguration.class, IdempotentCreateIntegrationTests.SaveHooks.class })
// A context of its own (the hooks): closed after the class rather than kept to the JVM's
// end: no other class shares it, and the suite's cached contexts already take more than
// surefire's 30 s exit timeout to shut down.
@DirtiesContext
class IdempotentCreateIntegrationTests {

	private static final String KEY = "Idempotency-Key";

	@Autowired
	WebTestClient client;

	@Autowired
	SaveHooks hooks;

	@Autowired
	ReactiveMongoTemplate mongo;

	@LocalServerPort
	int port;

	String category;

	@BeforeEach
	void category() {
		this.category = "idem-" + new ObjectId();
		this.hooks.category = this.category;
	}

	@AfterEach
	void disarm() {
		this.hooks.disarm();
	}

	@Test
	void aRepeatWithTheSameKeyAndBodyReplaysTheFirstResponse() {
		String key = UUID.randomUUID().toString();
		EntityExchangeResult<String> first = create(this.client, key, product("category", this.category)).expectStatus()
			.isCreated()
			.expectHeader()
			.doesNotExist("Idempotent-Replayed")
			.expectBody(String.class)
			.returnResult();
		EntityExchangeResult<String> repeat = create(this.client, key, product("category", this.category))
			.expectStatus()
			.isCreated()
			.expectHeader()
			.valueEquals("Idempotent-Replayed", "true")
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody(String.class)
			.returnResult();

		assertThat(repeat.getResponseBody()).isEqualTo(first.getResponseBody());
		assertThat(repeat.getResponseHeaders().getLocation()).isEqualTo(first.getResponseHeaders().getLocation());
		assertThat(repeat.getResponseHeaders().getETag()).isEqualTo(first.getResponseHeaders().getETag())
			.isEqualTo("\"0\"");
		assertThat(stored()).isEqualTo(1);
	}

	@Test
	void aRepeatWrittenDifferentlyButMeaningTheSameReplays() {
		String key = UUID.randomUUID().toString();
		create(this.client, key, "{\"name\":\"Mug\",\"category\":\"" + this.category + "\",\"price\":9.90}")
			.expectStatus()
			.isCreated();
		create(this.client, key, "{ \"price\": 9.9, \"category\": \"" + this.category + "\", \"name\": \" Mug \" }")
			.expectStatus()
			.isCreated()
			.expectHeader()
			.valueEquals("Idempotent-Replayed", "true");
		assertThat(stored()).isEqualTo(1);
	}

	@Test
	void theSameKeyWithAnotherBodyIs422AndCreatesNothing() {
		String key = UUID.randomUUID().toString();
		create(this.client, key, product("category", this.category)).expectStatus().isCreated();
		create(this.client, key, product("category", this.category, "price", 1)).expectStatus()
			.isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("https://productstore.example/problems/idempotency-key-reused")
			.jsonPath("$.status")
			.isEqualTo(422);
		assertThat(stored()).isEqualTo(1);
	}

	@Test
	void keysBelongToTheirCaller() {
		String key = UUID.randomUUID().toString();
		create(this.client, key, product("category", this.category)).expectStatus().isCreated();
		this.client.post()
			.uri("/api/products")
			.headers(ProductApi.as(ProductApi.ADMIN))
			.header(KEY, key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(product("category", this.category))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectHeader()
			.doesNotExist("Idempotent-Replayed");
		assertThat(stored()).isEqualTo(2);
	}

	@ParameterizedTest
	// Control characters are refused by the HTTP client itself (see IdempotencyKeyTests).
	@ValueSource(strings = { "", "with space", "naïve", "\u00a0" })
	void malformedKeysAre400AndCreateNothing(String key) {
		create(this.client, key, product("category", this.category)).expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("https://productstore.example/problems/idempotency-key-malformed");
		assertThat(stored()).isZero();
	}

	@Test
	void aKeyOf129CharactersIs400AndOf128IsAccepted() {
		create(this.client, "k".repeat(129), product("category", this.category)).expectStatus().isBadRequest();
		create(this.client, "k".repeat(127) + "*", product("category", this.category)).expectStatus().isCreated();
		assertThat(stored()).isEqualTo(1);
	}

	@Test
	void keysReachRedisOnlyAsDigests(@Autowired StringRedisTemplate redis) {
		String key = "*{" + new ObjectId() + "}:[x]?";
		create(this.client, key, product("category", this.category)).expectStatus().isCreated();
		Set<String> names = redis.keys("*idempotency*");
		assertThat(names).isNotEmpty().allMatch((name) -> name.matches("productstore-idempotency:[0-9a-f]{64}"));
		assertThat(names).noneMatch((name) -> name.contains(key));
	}

	@Test
	void anInvalidBodyWithAKeyIs400AndLeavesTheKeyFree() {
		String key = UUID.randomUUID().toString();
		create(this.client, key, product("category", this.category, "price", -1)).expectStatus().isBadRequest();
		create(this.client, key, product("category", this.category)).expectStatus()
			.isCreated()
			.expectHeader()
			.doesNotExist("Idempotent-Replayed");
		assertThat(stored()).isEqualTo(1);
	}

	@Test
	void aRepeatWhileTheFirstRequestRunsIs409ThenReplaysOnceItAnswered() {
		String key = UUID.randomUUID().toString();
		Sinks.Empty<Void> release = this.hooks.holdBeforeSave();
		Mono<ResponseEntity<String>> first = keyedCreate(webClient(), key).cache();
		first.subscribe();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.hooks.reached);

		create(this.client, key, product("category", this.category)).expectStatus()
			.isEqualTo(HttpStatus.CONFLICT)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.exists(HttpHeaders.RETRY_AFTER)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("https://productstore.example/problems/idempotency-key-in-use");

		release.tryEmitEmpty();
		ResponseEntity<String> answered = first.block(Duration.ofSeconds(30));
		assertThat(answered.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		create(this.client, key, product("category", this.category)).expectStatus()
			.isCreated()
			.expectHeader()
			.valueEquals("Idempotent-Replayed", "true")
			.expectBody(String.class)
			.isEqualTo(answered.getBody());
		assertThat(stored()).isEqualTo(1);
	}

	@Test
	void aKeyedCreateWhoseClientDisconnectedIsPerformedAndRecordedForItsRetry() {
		String key = UUID.randomUUID().toString();
		Sinks.Empty<Void> release = this.hooks.holdBeforeSave();
		// The client gives up while the create is held between its claim and its save ...
		Disposable abandoned = keyedCreate(webClient(), key).subscribe();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.hooks.reached);
		abandoned.dispose();
		// ... and the create runs to its end all the same: its retry is answered from the
		// record at once, not with 409 until the lease lapses.
		release.tryEmitEmpty();
		await().atMost(Duration.ofSeconds(10)).until(() -> stored() == 1);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> create(this.client, key, product("category", this.category)).expectStatus()
				.isCreated()
				.expectHeader()
				.valueEquals("Idempotent-Replayed", "true"));
		assertThat(stored()).isEqualTo(1);
	}

	@Test
	void aCreateThatFailedBeforeMongoDbWroteItCanBeRetriedWithTheKeyAtOnce() {
		String key = UUID.randomUUID().toString();
		this.hooks.failBeforeSave = true;
		create(this.client, key, product("category", this.category)).expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(stored()).isZero();

		create(this.client, key, product("category", this.category)).expectStatus()
			.isCreated()
			.expectHeader()
			.doesNotExist("Idempotent-Replayed");
		assertThat(stored()).isEqualTo(1);
	}

	@Test
	void aRetryOfACreateWhoseOutcomeWasUnknownAnswersTheProductItCreated() {
		String key = UUID.randomUUID().toString();
		this.hooks.failAfterSave = true;
		// MongoDB stored the product, then the reply was "lost".
		create(this.client, key, product("category", this.category)).expectStatus().is5xxServerError();
		assertThat(stored()).isEqualTo(1);
		String storedId = this.mongo.findOne(inCategory(), Product.class).block().id();

		create(this.client, key, product("category", this.category)).expectStatus()
			.isCreated()
			.expectHeader()
			.valueMatches(HttpHeaders.LOCATION, ".*/api/products/" + storedId)
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo(storedId);
		assertThat(stored()).isEqualTo(1);
	}

	@Test
	void twentyConcurrentCreatesWithOneKeyOnTwoInstancesCreateOneProduct() {
		String key = UUID.randomUUID().toString();
		try (Instance other = Instance.onRealServers()) {
			List<WebClient> clients = List.of(webClient(), WebClient.create(baseUrl(other)));
			List<ResponseEntity<String>> answers = Flux.range(0, 20)
				.flatMap((i) -> keyedCreate(clients.get(i % 2), key), 20)
				.collectList()
				.block(Duration.ofSeconds(60));

			assertThat(stored()).isEqualTo(1);
			Map<Integer, List<ResponseEntity<String>>> byStatus = answers.stream()
				.collect(Collectors.groupingBy((answer) -> answer.getStatusCode().value()));
			assertThat(byStatus.keySet()).isSubsetOf(201, 409);
			List<ResponseEntity<String>> created = byStatus.get(201);
			assertThat(created).extracting(ResponseEntity::getBody).containsOnly(created.get(0).getBody());
			assertThat(created).filteredOn((answer) -> !answer.getHeaders().containsHeader("Idempotent-Replayed"))
				.hasSize(1);
			assertThat(answers).hasSize(20);
		}
	}

	@Test
	void replaysAfterTheInstanceThatAnsweredRestarted() {
		String key = UUID.randomUUID().toString();
		String first;
		try (Instance instance = Instance.onRealServers()) {
			first = create(instance.api().client(), key, product("category", this.category)).expectStatus()
				.isCreated()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody();
		}
		try (Instance restarted = Instance.onRealServers()) {
			create(restarted.api().client(), key, product("category", this.category)).expectStatus()
				.isCreated()
				.expectHeader()
				.valueEquals("Idempotent-Replayed", "true")
				.expectBody(String.class)
				.isEqualTo(first);
		}
		assertThat(stored()).isEqualTo(1);
	}

	private WebTestClient.ResponseSpec create(WebTestClient client, String key, Object body) {
		return client.post()
			.uri("/api/products")
			.headers(ProductApi.as(ProductApi.EDITOR))
			.header(KEY, key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	/** A keyed create whose answer, whatever its status, is the entity. */
	private Mono<ResponseEntity<String>> keyedCreate(WebClient client, String key) {
		return client.post()
			.uri("/api/products")
			.headers(ProductApi.as(ProductApi.EDITOR))
			.header(KEY, key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(product("category", this.category))
			.exchangeToMono((response) -> response.toEntity(String.class));
	}

	private long stored() {
		return this.mongo.count(inCategory(), Product.class).block();
	}

	private Query inCategory() {
		return new Query(Criteria.where("category").is(this.category));
	}

	private WebClient webClient() {
		return WebClient.create("http://127.0.0.1:" + this.port);
	}

	private static String baseUrl(Instance instance) {
		return "http://127.0.0.1:" + instance.context().getEnvironment().getProperty("local.server.port");
	}

	/**
	 * Holds or fails the next save of a product of the test's category, before or after
	 * MongoDB wrote it.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class SaveHooks {

		private final AtomicReference<Mono<Void>> gate = new AtomicReference<>();

		volatile String category;

		volatile boolean reached;

		volatile boolean failBeforeSave;

		volatile boolean failAfterSave;

		Sinks.Empty<Void> holdBeforeSave() {
			Sinks.Empty<Void> release = Sinks.empty();
			this.reached = false;
			this.gate.set(release.asMono());
			return release;
		}

		void disarm() {
			this.gate.set(null);
			this.failBeforeSave = false;
			this.failAfterSave = false;
		}

		@Bean
		ReactiveBeforeSaveCallback<Product> holdingBeforeSave() {
			return (product, document, collection) -> {
				if (!product.category().equals(this.category)) {
					return Mono.just(product);
				}
				if (this.failBeforeSave) {
					this.failBeforeSave = false;
					return Mono.error(new DataAccessResourceFailureException("MongoDB unreachable"));
				}
				Mono<Void> held = this.gate.getAndSet(null);
				if (held == null) {
					return Mono.just(product);
				}
				this.reached = true;
				return held.thenReturn(product);
			};
		}

		@Bean
		ReactiveAfterSaveCallback<Product> failingAfterSave() {
			return (product, document, collection) -> {
				if (product.category().equals(this.category) && this.failAfterSave) {
					this.failAfterSave = false;
					return Mono.error(new DataAccessResourceFailureException("reply lost after the write"));
				}
				return Mono.just(product);
			};
		}

	}

}
