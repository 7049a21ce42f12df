package io.productstore.product;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.productstore.support.ProductApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.productstore.support.ProductApi.product;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product API over real HTTP against real MongoDB and Redis servers; the concrete
 * subclasses choose which servers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
abstract class ProductApiTestsBase {

	@Autowired
	WebTestClient client;

	ProductApi api;

	@BeforeEach
	void api() {
		this.api = new ProductApi(this.client);
	}

	@Test
	void createsProductWithServerAssignedFieldsAndDefaults() {
		this.api.create(product("price", 19.99, "tags", List.of(" espresso ", "kitchen")))
			.expectStatus()
			.isCreated()
			.expectHeader()
			.valueMatches(HttpHeaders.LOCATION, ".*/api/products/[0-9a-f]{24}")
			.expectHeader()
			.valueEquals(HttpHeaders.ETAG, "\"0\"")
			.expectHeader()
			.exists("X-Response-Time")
			.expectBody()
			.jsonPath("$.id")
			.value((String id) -> assertThat(id).matches("[0-9a-f]{24}"))
			.jsonPath("$.name")
			.isEqualTo("Espresso machine")
			.jsonPath("$.price")
			.isEqualTo(19.99)
			.jsonPath("$.currency")
			.isEqualTo("USD")
			.jsonPath("$.stock")
			.isEqualTo(0)
			.jsonPath("$.active")
			.isEqualTo(true)
			.jsonPath("$.wishlisted")
			.isEqualTo(false)
			.jsonPath("$.tags")
			.isEqualTo(List.of("espresso", "kitchen"))
			.jsonPath("$.version")
			.isEqualTo(0)
			.jsonPath("$.createdAt")
			.exists();
	}

	@Test
	void readsProductWithStrongEtagAndAnswers304ToAMatchingIfNoneMatch() {
		String id = this.api.createdId(product());
		this.api.get(id).expectStatus().isOk().expectHeader().valueEquals(HttpHeaders.ETAG, "\"0\"");
		for (String tag : List.of("\"0\"", "W/\"0\"", "\"7\", \"0\"", "*")) {
			this.api.getRequest(id)
				.header(HttpHeaders.IF_NONE_MATCH, tag)
				.exchange()
				.expectStatus()
				.isNotModified()
				.expectHeader()
				.exists("X-Response-Time")
				.expectBody()
				.isEmpty();
		}
		this.api.getRequest(id).header(HttpHeaders.IF_NONE_MATCH, "\"1\"").exchange().expectStatus().isOk();
	}

	@Test
	void keepsPricesExact() {
		String id = this.api.createdId(Map.of("name", "Cent", "category", "c", "price", 0.1));
		this.api.get(id).expectBody().jsonPath("$.price").isEqualTo(0.1);
		String big = this.api.createdId(Map.of("name", "Big", "category", "c", "price", 1234567890123.45));
		this.api.get(big).expectBody(String.class).value((body) -> assertThat(body).contains("1234567890123.45"));
	}

	@Test
	void replacesWritableFieldsAndBumpsVersion() {
		String id = this.api.createdId(product());
		this.api.replace(id, product("name", "Grinder", "stock", 3), null)
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.ETAG, "\"1\"")
			.expectBody()
			.jsonPath("$.name")
			.isEqualTo("Grinder")
			.jsonPath("$.stock")
			.isEqualTo(3)
			.jsonPath("$.version")
			.isEqualTo(1);
		this.api.replace(id, product("name", "Grinder 2"), "\"1\"").expectStatus().isOk();
		this.api.replace(id, product("name", "Grinder 3"), "*").expectStatus().isOk();
	}

	@Test
	void refusesAStaleIfMatchWith412AndLeavesTheProductUnchanged() {
		String id = this.api.createdId(product());
		this.api.replace(id, product("name", "Changed"), null).expectStatus().isOk();
		this.api.replace(id, product("name", "Stale"), "\"0\"")
			.expectStatus()
			.isEqualTo(HttpStatus.PRECONDITION_FAILED)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.api.patch(id, Map.of("name", "Stale"), "W/\"1\"").expectStatus().isEqualTo(HttpStatus.PRECONDITION_FAILED);
		this.api.get(id).expectBody().jsonPath("$.name").isEqualTo("Changed");
	}

	@Test
	void mergePatchChangesOnlyTheGivenFields() {
		String id = this.api.createdId(product("tags", List.of("a", "b"), "stock", 5));
		this.api.patch(id, Map.of("price", 10, "tags", List.of("c")), null)
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.price")
			.isEqualTo(10)
			.jsonPath("$.tags")
			.isEqualTo(List.of("c"))
			.jsonPath("$.stock")
			.isEqualTo(5)
			.jsonPath("$.name")
			.isEqualTo("Espresso machine");
		java.util.HashMap<String, Object> removeDescription = new java.util.HashMap<>();
		removeDescription.put("description", null);
		this.api.patch(id, removeDescription, "\"1\"")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.description")
			.doesNotExist();
	}

	@Test
	void mergePatchAcceptsPlainJson() {
		String id = this.api.createdId(product());
		this.client.patch()
			.uri("/api/products/{id}", id)
			.headers(ProductApi.as(ProductApi.EDITOR))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("stock", 9))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.stock")
			.isEqualTo(9);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"name\": null}", "{\"price\": -1}", "{\"price\": \"12\"}", "{\"id\": \"x\"}",
			"{\"version\": 4}", "{\"colour\": \"red\"}", "[1]", "{\"stock\": 1.5}", "{\"tags\": \"a\"}" })
	void mergePatchRejectsBadPatchesWith400AndKeepsTheProduct(String patch) {
		String id = this.api.createdId(product());
		this.api.patch(id, patch, null)
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.api.get(id)
			.expectBody()
			.jsonPath("$.name")
			.isEqualTo("Espresso machine")
			.jsonPath("$.version")
			.isEqualTo(0);
	}

	@Test
	void deletesProduct() {
		String id = this.api.createdId(product());
		this.api.delete(id).expectStatus().isNoContent();
		this.api.get(id).expectStatus().isNotFound();
		this.api.delete(id).expectStatus().isNotFound();
	}

	@Test
	void togglesWishlistForAnyAuthenticatedUserAndListsIt() {
		String id = this.api.createdId(product("category", "wish-" + System.nanoTime()));
		this.api.wishlist(id, true, null).expectStatus().isUnauthorized();
		this.api.wishlist(id, true, ProductApi.USER)
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.wishlisted")
			.isEqualTo(true);
		this.api.list("/wishlist?size=100")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items[?(@.id == '" + id + "')]")
			.exists();
		this.api.wishlist(id, false, ProductApi.USER).expectStatus().isOk();
		this.api.list("/wishlist?size=100").expectBody().jsonPath("$.items[?(@.id == '" + id + "')]").doesNotExist();
	}

	@Test
	void wishlistOfADeletedProductIsNotFoundAndCreatesNothing() {
		String id = this.api.createdId(product());
		this.api.delete(id).expectStatus().isNoContent();
		this.api.wishlist(id, true, ProductApi.USER)
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.api.get(id).expectStatus().isNotFound();
	}

	@Test
	void listsFilteredPagesAndCounts() {
		String category = "list-" + System.nanoTime();
		for (int i = 0; i < 5; i++) {
			this.api.createdId(product("category", category, "price", 10 + i));
		}
		this.api.list("?category=" + category + "&size=2&page=2&sort=price,asc")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items.length()")
			.isEqualTo(1)
			.jsonPath("$.items[0].price")
			.isEqualTo(14)
			.jsonPath("$.page")
			.isEqualTo(2)
			.jsonPath("$.size")
			.isEqualTo(2)
			.jsonPath("$.totalItems")
			.isEqualTo(5)
			.jsonPath("$.totalPages")
			.isEqualTo(3);
		this.api.list("/count?category=" + category + "&minPrice=12")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.count")
			.isEqualTo(3);
	}

	@ParameterizedTest
	@ValueSource(strings = { "?size=0", "?size=101", "?page=-1", "?sort=colour,asc", "?sort=price,up", "?minPrice=abc",
			"?active=maybe", "?size=ten", "/count?maxPrice=1e999999", "?category%5B%24ne%5D=x", "?price%5Bgt%5D=1",
			"/count?category%5B%24ne%5D=x", "?category.length=1", "?%24where=1", "?tags%5B0%5D=a&category=x" })
	void rejectsBadListParametersWith400(String query) {
		this.api.list(query)
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(400);
	}

	@Test
	void ignoresUnknownPlainParameterNames() {
		this.api.list("/count?utm_source=newsletter").expectStatus().isOk();
	}

	@Test
	void treatsOperatorLookingParametersAsPlainValues() {
		this.api.list("/count?category={category}".replace("{category}", "%7B%22%24ne%22%3A%22x%22%7D"))
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.count")
			.isEqualTo(0);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{}", "{\"name\": \"   \", \"category\": \"c\", \"price\": 1}",
			"{\"name\": \"n\", \"category\": \"c\", \"price\": -0.01}",
			"{\"name\": \"n\", \"category\": \"c\", \"price\": 1.001}",
			"{\"name\": \"n\", \"category\": \"c\", \"price\": \"1\"}",
			"{\"name\": \"n\", \"category\": \"c\", \"price\": 1, \"stock\": -1}",
			"{\"name\": \"n\", \"category\": \"c\", \"price\": 1, \"currency\": \"usd\"}",
			"{\"name\": \"n\", \"category\": \"c\", \"price\": 1, \"currency\": \"XYZ\"}",
			"{\"name\": \"n\", \"category\": \"c\", \"price\": 1, \"images\": [\"ftp://x/y.png\"]}",
			"{\"name\": \"n\", \"category\": \"c\", \"price\": 1, \"images\": [\"not a url\"]}",
			"{\"name\": \"n\", \"category\": \"c\", \"price\": 1, \"tags\": [\"\"]}",
			"{\"name\": \"n\", \"category\": \"c\", \"price\": 1, \"tags\": [null]}",
			"{\"name\": \"n\", \"category\": \"c\", \"price\": 1, \"active\": \"yes\"}",
			"{\"name\": \"n\", \"category\": \"c\", \"price\": 1, \"colour\": \"red\"}",
			"{\"name\": \"n\", \"category\": \"c\", \"price\": 1, \"id\": \"665f1c2ab4e0c81f6a3d9e21\"}",
			"{\"name\": \"n\", \"category\": \"c\", \"price\": 1", "not json", "[]", "null" })
	void rejectsBadBodiesWith400(String body) {
		this.api.create(body)
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(400)
			.jsonPath("$.title")
			.exists()
			.jsonPath("$.detail")
			.exists()
			.jsonPath("$.instance")
			.isEqualTo("/api/products");
	}

	@Test
	void reportsEachBrokenRuleAsAFieldError() {
		this.api.create(Map.of("name", "x".repeat(201), "category", "c", "price", 1, "tags", tags(21)))
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[?(@.field == 'name')]")
			.exists()
			.jsonPath("$.errors[?(@.field == 'tags')]")
			.exists();
	}

	@Test
	void refusesBodiesOver1MiBWith413() {
		this.api.create(product("description", "x".repeat(1024 * 1024 + 10)))
			.expectStatus()
			.isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void refusesUnsupportedMediaTypeWith415() {
		this.client.post()
			.uri("/api/products")
			.headers(ProductApi.as(ProductApi.EDITOR))
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("name=x")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void answersUnknownRoutesAndMethodsWithProblems() {
		this.client.get()
			.uri("/api/nope")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.client.put()
			.uri("/api/products")
			.headers(ProductApi.as(ProductApi.EDITOR))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(product())
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@ParameterizedTest
	// The last: an Arabic-Indic digit, which Character.digit would take for a 3.
	@ValueSource(strings = { "123", "665f1c2ab4e0c81f6a3d9e2z", "665f1c2ab4e0c81f6a3d9e21aa", "*",
			"665f1c2ab4e0c81f6a3d9e2\u0663" })
	void rejectsMalformedIdsWith400AsAnInvalidField(String id) {
		this.api.get(id)
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("Validation failed")
			.jsonPath("$.errors[0].field")
			.isEqualTo("id")
			.jsonPath("$.errors[0].message")
			.isEqualTo("must be a product id of 24 hexadecimal characters");
		this.api.delete(id).expectStatus().isBadRequest();
	}

	@Test
	void answersUnknownIdsWith404Problem() {
		this.api.get("665f1c2ab4e0c81f6a3d9e21")
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(404);
		this.api.replace("665f1c2ab4e0c81f6a3d9e21", product(), null).expectStatus().isNotFound();
	}

	@Test
	void requiresEditorRoleForWrites() {
		this.client.post()
			.uri("/api/products")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(product())
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.exists(HttpHeaders.WWW_AUTHENTICATE)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.client.post()
			.uri("/api/products")
			.headers(ProductApi.as(ProductApi.USER))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(product())
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.client.post()
			.uri("/api/products")
			.headers((headers) -> headers.setBasicAuth(ProductApi.EDITOR, "wrong"))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(product())
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void neverLosesAnUpdateUnderConcurrentWriters() {
		String id = this.api.createdId(product());
		List<CompletableFuture<HttpStatus>> writes = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			int stock = i;
			writes.add(
					CompletableFuture.supplyAsync(() -> (HttpStatus) this.api.replace(id, product("stock", stock), null)
						.returnResult(String.class)
						.getStatus()));
		}
		List<HttpStatus> statuses = writes.stream().map(CompletableFuture::join).toList();
		assertThat(statuses).allMatch((status) -> status == HttpStatus.OK || status == HttpStatus.CONFLICT);
		long succeeded = statuses.stream().filter(HttpStatus.OK::equals).count();
		this.api.get(id).expectBody().jsonPath("$.version").isEqualTo((int) succeeded);
	}

	@Test
	void concurrentWishlistTogglesOfOneProductAllSucceed() throws InterruptedException {
		String id = this.api.createdId(product());
		int toggles = 16;
		ExecutorService callers = Executors.newFixedThreadPool(toggles);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<HttpStatus>> answers = new ArrayList<>();
			for (int i = 0; i < toggles; i++) {
				boolean wishlisted = (i % 2 == 0);
				answers.add(callers.submit(() -> {
					start.await();
					return (HttpStatus) this.api.wishlist(id, wishlisted, ProductApi.USER)
						.returnResult(String.class)
						.getStatus();
				}));
			}
			start.countDown();
			List<HttpStatus> statuses = answers.stream().map(ProductApiTestsBase::join).toList();
			// No caller sent If-Match: none of them asked to lose a race.
			assertThat(statuses).containsOnly(HttpStatus.OK);
			this.api.get(id).expectBody().jsonPath("$.version").isEqualTo(toggles);
		}
		finally {
			callers.shutdownNow();
			assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}
	}

	private static <T> T join(Future<T> future) {
		try {
			return future.get(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static List<String> tags(int count) {
		return java.util.stream.IntStream.range(0, count).mapToObj((i) -> "t" + i).toList();
	}

}
