package io.productstore.product;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

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
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec;

import static io.productstore.support.ProductApi.product;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@code GET /api/products/facets} ({@link ProductFacetSearch}): every facet
 * compared with counts computed independently over a seeded set, before and after writes,
 * and the cache, entity tags and bad input of the route.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@Import(RealServersConfiguration.class)
class ProductFacetsIntegrationTests {

	private static final List<String> CATEGORIES = List.of("kitchen", "garden", "books", "toys");

	private static final List<String> TAGS = List.of("sale", "new", "gift", "eco");

	@Autowired
	WebTestClient client;

	ProductApi api;

	/** A word in every seeded name: q= keeps each test to its own products. */
	String token;

	List<Seeded> seeded;

	@BeforeEach
	void seed() {
		this.api = new ProductApi(this.client);
		this.token = "facet" + new ObjectId();
		this.seeded = new ArrayList<>();
		Random random = new Random(13);
		for (int i = 0; i < 40; i++) {
			// Skewed, so that counts differ and ties between equal counts occur too.
			String category = CATEGORIES.get(Math.min(random.nextInt(5), 3));
			List<String> tags = TAGS.stream().filter((tag) -> random.nextInt(3) == 0).toList();
			BigDecimal price = BigDecimal.valueOf(100 + random.nextInt(50_000), 2);
			boolean active = random.nextInt(4) > 0;
			add(category, tags, price, active);
		}
	}

	private void add(String category, List<String> tags, BigDecimal price, boolean active) {
		String id = this.api.createdId(product("name", this.token + " item", "category", category, "tags", tags,
				"price", price, "active", active));
		this.seeded.add(new Seeded(id, category, tags, price, active));
	}

	@Test
	void everyFacetMatchesCountsComputedIndependently() {
		assertFacets("", (product) -> true);
		for (String category : CATEGORIES) {
			assertFacets("&category=" + category, (product) -> product.category().equals(category));
		}
		assertFacets("&tag=sale", (product) -> product.tags().contains("sale"));
		assertFacets("&tag=gift&tag=eco",
				(product) -> product.tags().contains("gift") || product.tags().contains("eco"));
		assertFacets("&minPrice=100&maxPrice=300.5", (product) -> product.price().compareTo(new BigDecimal(100)) >= 0
				&& product.price().compareTo(new BigDecimal("300.5")) <= 0);
		assertFacets("&active=false", (product) -> !product.active());
		assertFacets("&category=kitchen&tag=new&minPrice=50", (product) -> product.category().equals("kitchen")
				&& product.tags().contains("new") && product.price().compareTo(new BigDecimal(50)) >= 0);
	}

	@Test
	void nothingMatchingHasZeroTotalEmptyFacetsAndNoPriceRange() {
		Map<String, Object> facets = facets("&category=none-of-these");
		assertThat(facets).containsEntry("total", 0)
			.containsEntry("categories", List.of())
			.containsEntry("tags", List.of())
			.containsEntry("price", null);
	}

	@Test
	void writesAreVisibleAtOnceOnTheWritingInstance() {
		this.api.list("/facets?q=" + this.token).expectHeader().valueEquals("X-Cache", "MISS");
		this.api.list("/facets?q=" + this.token).expectHeader().valueEquals("X-Cache", "HIT");
		add("rare", List.of("sale", "unique"), new BigDecimal("0.50"), true);
		this.api.list("/facets?q=" + this.token).expectHeader().valueEquals("X-Cache", "MISS");
		assertFacets("", (product) -> true);
		assertThat(facets("").get("price")).isEqualTo(Map.of("min", 0.5, "max", max()));

		Seeded moved = this.seeded.remove(0);
		this.api.patch(moved.id(), Map.of("category", "garden", "tags", List.of("eco")), null).expectStatus().isOk();
		this.seeded.add(new Seeded(moved.id(), "garden", List.of("eco"), moved.price(), moved.active()));
		assertFacets("", (product) -> true);
		assertFacets("&category=garden", (product) -> product.category().equals("garden"));

		Seeded deleted = this.seeded.remove(this.seeded.size() - 2);
		this.api.delete(deleted.id()).expectStatus().isNoContent();
		assertFacets("", (product) -> true);
		assertFacets("&tag=sale", (product) -> product.tags().contains("sale"));
	}

	@Test
	void sendsAWeakTagThatRevalidatesUntilAWrite() {
		String tag = this.api.list("/facets?q=" + this.token).returnResult(byte[].class).getResponseHeaders().getETag();
		assertThat(tag).startsWith("W/\"");
		String countTag = this.api.list("/count?q=" + this.token)
			.returnResult(byte[].class)
			.getResponseHeaders()
			.getETag();
		assertThat(tag).isNotEqualTo(countTag);
		revalidate(tag).expectStatus().isNotModified().expectHeader().valueEquals("X-Cache", "HIT");
		add("kitchen", List.of(), BigDecimal.ONE, true);
		revalidate(tag).expectStatus().isOk();
	}

	@ParameterizedTest
	@ValueSource(strings = { "page=0", "size=5", "sort=price,asc", "cursor=1.abc.def" })
	void refusesPagingParametersWith400(String parameter) {
		this.api.list("/facets?q=" + this.token + "&" + parameter)
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo(parameter.substring(0, parameter.indexOf('=')));
	}

	@ParameterizedTest
	@ValueSource(strings = { "minPrice=abc", "maxPrice=1e999999", "active=maybe", "category[$ne]=x", "price[gt]=1",
			"tag=" + "x" })
	void refusesMalformedFiltersWith400(String parameter) {
		if (parameter.equals("tag=x")) {
			// A well-formed filter, as a control: the route itself answers.
			this.api.list("/facets?" + parameter).expectStatus().isOk();
			return;
		}
		this.api.list("/facets?" + parameter)
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	private ResponseSpec revalidate(String tag) {
		return this.client.get()
			.uri("/api/products/facets?q=" + this.token)
			.header(HttpHeaders.IF_NONE_MATCH, tag)
			.exchange();
	}

	private double max() {
		return this.seeded.stream().map(Seeded::price).max(Comparator.naturalOrder()).orElseThrow().doubleValue();
	}

	private Map<String, Object> facets(String filters) {
		return Pages.body(this.api.list("/facets?q=" + this.token + filters));
	}

	/** Compares the facets of a filter with those computed here over the seeded set. */
	private void assertFacets(String filters, Predicate<Seeded> filter) {
		List<Seeded> matching = this.seeded.stream().filter(filter).toList();
		Map<String, Object> facets = facets(filters);
		assertThat(facets.get("total")).as(filters).isEqualTo(matching.size());
		assertThat(facets.get("categories")).as(filters)
			.isEqualTo(expectedValues(matching.stream().map(Seeded::category)));
		assertThat(facets.get("tags")).as(filters)
			.isEqualTo(expectedValues(matching.stream().flatMap((product) -> product.tags().stream())));
		@SuppressWarnings("unchecked")
		Map<String, Object> price = (Map<String, Object>) facets.get("price");
		assertThat(new BigDecimal(price.get("min").toString()))
			.isEqualByComparingTo(matching.stream().map(Seeded::price).min(Comparator.naturalOrder()).orElseThrow());
		assertThat(new BigDecimal(price.get("max").toString()))
			.isEqualByComparingTo(matching.stream().map(Seeded::price).max(Comparator.naturalOrder()).orElseThrow());
		this.api.list("/count?q=" + this.token + filters).expectBody().jsonPath("$.count").isEqualTo(matching.size());
	}

	/** Counts per value, most first, then by value, as the contract orders them. */
	private static List<Map<String, Object>> expectedValues(Stream<String> values) {
		Map<String, Integer> counts = new TreeMap<>();
		values.forEach((value) -> counts.merge(value, 1, Integer::sum));
		return counts.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
			.map((entry) -> Map.<String, Object>of("value", entry.getKey(), "count", entry.getValue()))
			.toList();
	}

	/** A product as seeded, to compute expectations from. */
	record Seeded(String id, String category, List<String> tags, BigDecimal price, boolean active) {

	}

}
