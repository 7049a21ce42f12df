package io.productstore.product;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.productstore.support.Instance;
import io.productstore.support.Pages;
import io.productstore.support.ProductApi;
import io.productstore.support.RealServersConfiguration;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec;

import static io.productstore.support.ProductApi.product;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for cursor paging ({@link CursorCodec}, {@link Continuation},
 * {@link ProductPages}) over HTTP, on two instances sharing the real servers: walks that
 * neither repeat nor skip while the catalogue changes, the cache, and cursors that were
 * tampered with, cut short, signed elsewhere or combined with another query.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@Import(RealServersConfiguration.class)
class ProductCursorPagingIntegrationTests {

	private static Instance second;

	@Autowired
	WebTestClient client;

	ProductApi api;

	String category;

	@BeforeAll
	static void startSecondInstance() {
		second = Instance.onRealServers();
	}

	@AfterAll
	static void stopSecondInstance() {
		second.close();
	}

	@BeforeEach
	void setUp() {
		this.api = new ProductApi(this.client);
		this.category = "cursor-" + new ObjectId();
	}

	@Test
	void walkSeesEveryProductThatExistedThroughoutOnceInOrderWhileOthersInsertAndDelete() {
		walkWhileTheCategoryChanges(this.api, this.api);
	}

	@Test
	void walkAlternatingBetweenTwoInstancesSeesEveryProductThatExistedThroughoutOnceInOrder() {
		walkWhileTheCategoryChanges(this.api, second.api());
	}

	/**
	 * Walks the category by price, pages alternately from the two clients; before each
	 * page the other client inserts one product behind the walk's position, one ahead of
	 * it, and deletes one the walk has already seen.
	 */
	private void walkWhileTheCategoryChanges(ProductApi first, ProductApi other) {
		List<String> existing = new ArrayList<>();
		for (int i = 0; i < 24; i++) {
			// Three products per price: the id decides between them.
			existing.add(first.createdId(product("category", this.category, "price", 10 + i % 8)));
		}
		Set<String> behind = new HashSet<>();
		Set<String> ahead = new HashSet<>();
		Set<String> deleted = new HashSet<>();
		List<Map<String, Object>> seen = new ArrayList<>();
		Map<String, Object> page = Pages.body(first.list("?category=" + this.category + "&sort=price,asc&size=5"));
		for (int n = 1; page != null; n++) {
			seen.addAll(Pages.items(page));
			String cursor = (String) page.get("nextCursor");
			if (cursor == null) {
				break;
			}
			ProductApi writer = (n % 2 == 0) ? first : other;
			behind.add(writer.createdId(product("category", this.category, "price", 1)));
			ahead.add(writer.createdId(product("category", this.category, "price", 100 + n)));
			String victim = (String) seen.get(seen.size() - 1 - n % 3).get("id");
			if (deleted.add(victim)) {
				writer.delete(victim).expectStatus().isNoContent();
			}
			page = Pages.body(((n % 2 == 0) ? first : other).list("?cursor=" + cursor));
		}
		List<String> seenIds = seen.stream().map((item) -> (String) item.get("id")).toList();
		assertThat(seenIds).doesNotHaveDuplicates();
		assertThat(seen).isSortedAccordingTo(
				Comparator.comparing((Map<String, Object> item) -> new BigDecimal(item.get("price").toString()))
					.thenComparing((item) -> (String) item.get("id")));
		assertThat(seenIds).containsAll(existing).containsAll(ahead).doesNotContainAnyElementsOf(behind);
		assertThat(deleted).isNotEmpty();
	}

	@Test
	void cursorOfAnOffsetPageContinuesWithTheNextOffsetPageAndTheLastPageHasNone() {
		for (int i = 0; i < 7; i++) {
			this.api.createdId(product("category", this.category, "stock", i));
		}
		String query = "?category=" + this.category + "&sort=stock,desc&size=3";
		Map<String, Object> first = Pages.body(this.api.list(query));
		assertThat(first).containsEntry("totalItems", 7).containsEntry("page", 0);
		Map<String, Object> next = Pages.body(this.api.list("?cursor=" + first.get("nextCursor")));
		assertThat(Pages.ids(next)).isEqualTo(Pages.ids(Pages.body(this.api.list(query + "&page=1"))));
		assertThat(next).doesNotContainKeys("page", "totalItems", "totalPages").containsEntry("size", 3);
		Map<String, Object> last = Pages.body(this.api.list("?cursor=" + next.get("nextCursor")));
		assertThat(Pages.ids(last)).hasSize(1);
		assertThat(last).containsEntry("nextCursor", null);
		assertThat(Pages.body(this.api.list(query + "&page=2"))).containsEntry("nextCursor", null);
	}

	@Test
	void sizeNextToACursorChangesThePageSizeOnly() {
		for (int i = 0; i < 6; i++) {
			this.api.createdId(product("category", this.category));
		}
		Map<String, Object> first = Pages.body(this.api.list("?category=" + this.category + "&size=2"));
		Map<String, Object> bigger = Pages.body(this.api.list("?size=4&cursor=" + first.get("nextCursor")));
		assertThat(Pages.ids(bigger)).hasSize(4).doesNotContainAnyElementsOf(Pages.ids(first));
		assertThat(bigger).containsEntry("nextCursor", null);
		// Repeating the cursor's own filters and sort is allowed.
		this.api.list("?category=" + this.category + "&sort=createdAt,desc&cursor=" + first.get("nextCursor"))
			.expectStatus()
			.isOk();
	}

	@Test
	void pagesByCursorAreCachedAndInvalidatedByWrites() {
		for (int i = 0; i < 4; i++) {
			this.api.createdId(product("category", this.category, "price", 1 + i));
		}
		String cursor = (String) Pages.body(this.api.list("?category=" + this.category + "&sort=price,asc&size=2"))
			.get("nextCursor");
		this.api.list("?cursor=" + cursor).expectHeader().valueEquals("X-Cache", "MISS");
		this.api.list("?cursor=" + cursor).expectHeader().valueEquals("X-Cache", "HIT");
		second.api().list("?cursor=" + cursor).expectHeader().valueEquals("X-Cache", "HIT");
		String added = this.api.createdId(product("category", this.category, "price", 3.5));
		ResponseSpec after = this.api.list("?cursor=" + cursor);
		after.expectHeader().valueEquals("X-Cache", "MISS");
		assertThat(Pages.ids(Pages.body(after))).contains(added);
	}

	@Test
	void wishlistPagesCarryCursorsThatContinueTheWishlist() {
		List<String> wishlisted = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			String id = this.api.createdId(product("category", this.category));
			this.api.wishlist(id, true, ProductApi.USER).expectStatus().isOk();
			wishlisted.add(id);
		}
		String query = "/wishlist?category=" + this.category + "&size=2";
		Map<String, Object> first = Pages.body(wishlist(query));
		Map<String, Object> next = Pages.body(wishlist("/wishlist?cursor=" + first.get("nextCursor")));
		List<String> walked = new ArrayList<>(Pages.ids(first));
		walked.addAll(Pages.ids(next));
		assertThat(walked).containsExactlyInAnyOrderElementsOf(wishlisted);
		String listCursor = (String) Pages.body(this.api.list("?category=" + this.category + "&size=1"))
			.get("nextCursor");
		invalid(wishlist("/wishlist?cursor=" + listCursor), "cursor");
	}

	@Test
	void refusesTamperedTruncatedAndForeignCursorsWith400() {
		for (int i = 0; i < 3; i++) {
			this.api.createdId(product("category", this.category));
		}
		String cursor = (String) Pages.body(this.api.list("?category=" + this.category + "&size=1")).get("nextCursor");
		int payload = cursor.indexOf('.') + 1;
		List<String> bad = new ArrayList<>();
		for (int at : new int[] { 0, payload, payload + 10, cursor.lastIndexOf('.') - 1, cursor.length() - 1 }) {
			char replaced = cursor.charAt(at);
			bad.add(cursor.substring(0, at) + ((replaced == 'A') ? 'B' : 'A') + cursor.substring(at + 1));
		}
		bad.add(cursor.substring(0, cursor.length() - 1));
		bad.add(cursor.substring(0, cursor.length() / 2));
		bad.add(cursor.substring(0, cursor.lastIndexOf('.')));
		bad.add(cursor + "A");
		bad.add("2" + cursor.substring(1));
		PageCursor position = new CursorCodec(new CursorProperties("development-only-cursor-key-not-secret"),
				JsonMapper.builder().build())
			.decode(cursor);
		CursorCodec foreign = new CursorCodec(new CursorProperties("another-deployment-key-of-32-chars!"),
				JsonMapper.builder().build());
		bad.add(foreign.encode(position));
		// Someone else's query under this cursor's signature.
		String otherQuery = foreign
			.encode(new PageCursor(ProductFilter.none(), List.of(), 100, position.after(), position.id()));
		bad.add(otherQuery.substring(0, otherQuery.lastIndexOf('.')) + cursor.substring(cursor.lastIndexOf('.')));
		for (String token : bad) {
			invalid(cursorRequest(token), "cursor");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "", ".", "1.", "1..", "1.e30.", "..", "x", "1.!!!.@@@", "1.%00.%00", "null", "{}",
			"1.eyJmaWx0ZXIiOm51bGx9.AAAA", "' OR 1=1 --", "{\"$gt\":\"\"}" })
	void refusesMalformedCursorsWith400(String token) {
		invalid(cursorRequest(token), "cursor");
	}

	@Test
	void refusesCursorsCombinedWithPageOrAnotherQueryWith400() {
		for (int i = 0; i < 3; i++) {
			this.api.createdId(product("category", this.category, "tags", List.of("a")));
		}
		String cursor = (String) Pages.body(this.api.list("?category=" + this.category + "&size=1")).get("nextCursor");
		invalid(this.api.list("?page=0&cursor=" + cursor), "page");
		invalid(this.api.list("?page=3&cursor=" + cursor), "page");
		invalid(this.api.list("?category=other&cursor=" + cursor), "cursor");
		invalid(this.api.list("?tag=a&cursor=" + cursor), "cursor");
		invalid(this.api.list("?minPrice=1&cursor=" + cursor), "cursor");
		invalid(this.api.list("?active=true&cursor=" + cursor), "cursor");
		invalid(this.api.list("?q=x&cursor=" + cursor), "cursor");
		invalid(this.api.list("?sort=price,asc&cursor=" + cursor), "cursor");
		invalid(this.api.list("?sort=createdAt,asc&cursor=" + cursor), "cursor");
		this.api.list("?size=0&cursor=" + cursor).expectStatus().isBadRequest();
		this.api.list("?size=101&cursor=" + cursor).expectStatus().isBadRequest();
	}

	private ResponseSpec cursorRequest(String token) {
		return this.client.get()
			.uri((uri) -> uri.path("/api/products").queryParam("cursor", "{token}").build(token))
			.exchange();
	}

	private ResponseSpec wishlist(String path) {
		return this.client.get().uri("/api/products" + path).headers(ProductApi.as(ProductApi.USER)).exchange();
	}

	private static void invalid(ResponseSpec response, String field) {
		response.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo(field);
	}

}
