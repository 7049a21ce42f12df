package io.productstore.product;

import java.util.List;
import java.util.Map;

import io.productstore.cache.admin.CacheAdministration;
import io.productstore.support.Pages;
import io.productstore.support.ProductApi;
import io.productstore.support.RealServersConfiguration;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec;

import static io.productstore.support.ProductApi.product;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for sparse fieldsets ({@link FieldSelection}, {@link SparseFields}) on the
 * product, list and wishlist reads: only the selected members, served from the one cached
 * entry, with the selection in the entity tag, and unknown names refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@Import(RealServersConfiguration.class)
class ProductSparseFieldsIntegrationTests {

	@Autowired
	WebTestClient client;

	@Autowired
	CacheAdministration cache;

	ProductApi api;

	String category;

	@BeforeEach
	void setUp() {
		this.api = new ProductApi(this.client);
		this.category = "fields-" + new ObjectId();
	}

	@Test
	void productHasOnlyTheSelectedMembersAndIdWithTheSelectionInItsTag() {
		String id = this.api.createdId(product("category", this.category));
		EntityExchangeResult<Map> read = get("/" + id + "?fields=price,name");
		assertThat(read.getResponseBody()).containsOnlyKeys("id", "name", "price").containsEntry("id", id);
		assertThat(read.getResponseHeaders().getETag()).isEqualTo("\"0;id+name+price\"");
		// Order and repetitions do not make another representation.
		EntityExchangeResult<Map> again = get("/" + id + "?fields=name,id,price,name");
		assertThat(again.getResponseHeaders().getETag()).isEqualTo("\"0;id+name+price\"");
		assertThat(again.getResponseBody()).isEqualTo(read.getResponseBody());
		assertThat(get("/" + id).getResponseHeaders().getETag()).isEqualTo("\"0\"");
		assertThat(get("/" + id + "?fields=id").getResponseBody()).containsOnlyKeys("id");
		this.api.patch(id, Map.of("price", 3), null).expectStatus().isOk();
		EntityExchangeResult<Map> changed = get("/" + id + "?fields=price,name");
		assertThat(changed.getResponseHeaders().getETag()).isEqualTo("\"1;id+name+price\"");
		assertThat(changed.getResponseBody()).containsEntry("price", 3);
	}

	@Test
	void productRevalidatesAgainstTheTagOfItsSelection() {
		String id = this.api.createdId(product("category", this.category));
		notModified("/" + id + "?fields=name", "\"0;id+name\"");
		notModified("/" + id + "?fields=name", "W/\"0;id+name\"");
		revalidated("/" + id + "?fields=name", "\"0\"").expectStatus().isOk();
		revalidated("/" + id + "?fields=name,price", "\"0;id+name\"").expectStatus().isOk();
		revalidated("/" + id, "\"0;id+name\"").expectStatus().isOk();
	}

	@Test
	void everySelectionIsServedFromTheOneCachedEntry() {
		String id = this.api.createdId(product("category", this.category));
		// A create puts the product into the cache: no read of it goes to MongoDB.
		this.api.get(id).expectHeader().valueEquals("X-Cache", "HIT");
		long originReads = originReads();
		for (String fields : List.of("name", "price,stock", "tags", "createdAt,updatedAt")) {
			this.client.get()
				.uri("/api/products/" + id + "?fields=" + fields)
				.exchange()
				.expectHeader()
				.valueEquals("X-Cache", "HIT");
			this.list("?category=" + this.category + "&fields=" + fields).expectStatus().isOk();
		}
		this.list("?category=" + this.category).expectHeader().valueEquals("X-Cache", "HIT");
		// One read for the list page, shared by every selection; none for the product.
		assertThat(originReads()).isEqualTo(originReads + 1);
	}

	@Test
	void listAndWishlistItemsHaveOnlyTheSelectedMembersAndThePageKeepsItsOwn() {
		for (int i = 0; i < 3; i++) {
			String id = this.api.createdId(product("category", this.category, "stock", i));
			this.api.wishlist(id, true, ProductApi.USER).expectStatus().isOk();
		}
		String query = "?category=" + this.category + "&size=2";
		Map<String, Object> page = Pages.body(list(query + "&fields=stock"));
		assertThat(page).containsKeys("page", "size", "totalItems", "totalPages", "nextCursor");
		assertThat(Pages.items(page)).hasSize(2).allSatisfy((item) -> assertThat(item).containsOnlyKeys("id", "stock"));
		Map<String, Object> next = Pages.body(list("?fields=stock&cursor=" + page.get("nextCursor")));
		assertThat(Pages.items(next)).hasSize(1).allSatisfy((item) -> assertThat(item).containsOnlyKeys("id", "stock"));
		Map<String, Object> wishlist = Pages.body(wishlist(query + "&fields=name,wishlisted"));
		assertThat(Pages.items(wishlist)).hasSize(2)
			.allSatisfy((item) -> assertThat(item).containsOnlyKeys("id", "name", "wishlisted")
				.containsEntry("wishlisted", true));
	}

	@Test
	void listTagsNameTheSelectionAndRevalidate() {
		this.api.createdId(product("category", this.category));
		String query = "?category=" + this.category;
		String full = list(query).returnResult(byte[].class).getResponseHeaders().getETag();
		String selected = list(query + "&fields=name").returnResult(byte[].class).getResponseHeaders().getETag();
		assertThat(selected).startsWith("W/\"").endsWith(";id+name\"").isNotEqualTo(full);
		assertThat(selected).startsWith(full.substring(0, full.length() - 1));
		this.client.get()
			.uri("/api/products" + query + "&fields=name")
			.header(HttpHeaders.IF_NONE_MATCH, selected)
			.exchange()
			.expectStatus()
			.isNotModified();
		this.client.get()
			.uri("/api/products" + query + "&fields=name")
			.header(HttpHeaders.IF_NONE_MATCH, full)
			.exchange()
			.expectStatus()
			.isOk();
		String wishlistTag = wishlist(query + "&fields=name").returnResult(byte[].class).getResponseHeaders().getETag();
		assertThat(wishlistTag).endsWith(";id+name\"");
	}

	@ParameterizedTest
	@ValueSource(strings = { "colour", "", ",", "name,", "Name", "items", "nextCursor", "$where", "name;price",
			"price[$gt]", "name%00", "tags.0", "id name" })
	void refusesUnknownOrEmptyNamesWith400OnEveryRead(String fields) {
		String id = this.api.createdId(product("category", this.category));
		invalid(this.client.get()
			.uri((uri) -> uri.path("/api/products/" + id).queryParam("fields", "{f}").build(fields))
			.exchange());
		invalid(this.client.get()
			.uri((uri) -> uri.path("/api/products").queryParam("fields", "{f}").build(fields))
			.exchange());
		invalid(this.client.get()
			.uri((uri) -> uri.path("/api/products/wishlist").queryParam("fields", "{f}").build(fields))
			.headers(ProductApi.as(ProductApi.USER))
			.exchange());
	}

	@Test
	void quotesOnlyTheStartOfAHostileLongName() {
		this.client.get()
			.uri("/api/products?fields=" + "x".repeat(2000))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].message")
			.value((String message) -> assertThat(message).hasSizeLessThan(400).contains("x".repeat(64) + "..."));
	}

	@Test
	void unknownProductIsStillA404WithFields() {
		this.client.get()
			.uri("/api/products/665f1c2ab4e0c81f6a3d9e21?fields=name")
			.exchange()
			.expectStatus()
			.isNotFound();
	}

	private EntityExchangeResult<Map> get(String path) {
		return this.client.get()
			.uri("/api/products" + path)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult();
	}

	private void notModified(String path, String tag) {
		revalidated(path, tag).expectStatus().isNotModified().expectBody().isEmpty();
	}

	private ResponseSpec revalidated(String path, String tag) {
		return this.client.get().uri("/api/products" + path).header(HttpHeaders.IF_NONE_MATCH, tag).exchange();
	}

	private ResponseSpec list(String query) {
		return this.api.list(query);
	}

	private ResponseSpec wishlist(String query) {
		return this.client.get()
			.uri("/api/products/wishlist" + query)
			.headers(ProductApi.as(ProductApi.USER))
			.exchange();
	}

	private static void invalid(ResponseSpec response) {
		response.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("fields");
	}

	private long originReads() {
		return this.cache.stats().block().originReads();
	}

}
