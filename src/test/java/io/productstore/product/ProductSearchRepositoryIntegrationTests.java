package io.productstore.product;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.productstore.support.RealServersConfiguration;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.mongodb.test.autoconfigure.DataMongoTest;
import org.springframework.context.annotation.Import;
import org.springframework.data.domain.PageRequest;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ProductSearchRepositoryImpl}: every filter, sort and page is compared
 * with an expectation computed independently in memory over the same seeded products.
 */
// A database of its own: the tests empty it, and other contexts of the suite share the
// server.
@DataMongoTest(properties = "spring.mongodb.database=search-repository-it")
@Import(RealServersConfiguration.class)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProductSearchRepositoryIntegrationTests {

	private static final List<String> CATEGORIES = List.of("kitchen", "books", "garden", "a.b", "{\"$gt\":\"\"}");

	private static final List<String> NAMES = List.of("Red kettle", "Blue (kettle)", "Mug*", "Price $5", "c++ guide",
			"[draft] plan", "Tea.pot", "a|b", "back\\slash", "Plain");

	@Autowired
	ProductRepository repository;

	private List<Product> seeded;

	@BeforeAll
	void seed() {
		Random random = new Random(7);
		Instant start = Instant.parse("2026-01-01T00:00:00Z");
		List<Product> products = new ArrayList<>();
		for (int i = 0; i < 120; i++) {
			String name = NAMES.get(random.nextInt(NAMES.size())) + " " + i;
			List<String> tags = Stream.of("new", "sale", "gift", "*").filter((tag) -> random.nextBoolean()).toList();
			// Few distinct timestamps, so the id tie-breaker decides many orders.
			Instant created = start.plus(random.nextInt(10), ChronoUnit.MINUTES);
			products.add(new Product(null, name, (i % 3 == 0) ? "Contains KETTLE" : null,
					CATEGORIES.get(random.nextInt(CATEGORIES.size())), BigDecimal.valueOf(random.nextInt(10_000), 2),
					"USD", random.nextInt(50), tags, List.of(), random.nextInt(4) > 0, random.nextInt(5) == 0, null,
					created, created.plusSeconds(random.nextInt(100))));
		}
		this.repository.deleteAll().block();
		this.seeded = this.repository.saveAll(products).collectList().block();
	}

	static Stream<Arguments> queries() {
		return Stream.of(Arguments.of(query(null, null, null, null, null, null, null)),
				Arguments.of(query("kitchen", null, null, null, null, null, null)),
				Arguments.of(query("a.b", null, null, null, null, null, null)),
				Arguments.of(query("{\"$gt\":\"\"}", null, null, null, null, null, null)),
				Arguments.of(query(null, List.of("sale", "gift"), null, null, null, null, null)),
				Arguments.of(query(null, List.of("*"), null, null, null, null, null)),
				Arguments.of(query(null, null, new BigDecimal("10.5"), new BigDecimal("60"), null, null, null)),
				Arguments.of(query(null, null, null, null, false, null, null)),
				Arguments.of(query(null, null, null, null, null, true, null)),
				Arguments.of(query(null, null, null, null, null, null, "kettle")),
				Arguments.of(query(null, null, null, null, null, null, "(KETTLE)")),
				Arguments.of(query(null, null, null, null, null, null, "*")),
				Arguments.of(query(null, null, null, null, null, null, "$5")),
				Arguments.of(query(null, null, null, null, null, null, "c++")),
				Arguments.of(query(null, null, null, null, null, null, "[draft]")),
				Arguments.of(query(null, null, null, null, null, null, ".")),
				Arguments.of(query(null, null, null, null, null, null, "a|b")),
				Arguments.of(query(null, null, null, null, null, null, "\\")),
				Arguments.of(query(null, null, null, null, null, null, ".*")),
				Arguments
					.of(query("garden", List.of("new"), new BigDecimal("0"), new BigDecimal("99.99"), true, null, "e")),
				Arguments.of(query("no-such-category", null, null, null, null, null, null)));
	}

	@ParameterizedTest
	@MethodSource("queries")
	void everyPageMatchesTheIndependentExpectation(ProductFilter filter) {
		List<String> sorts = List.of("price,asc", "price,desc", "name,asc", "stock,desc", "updatedAt,asc",
				"createdAt,desc");
		for (String sort : sorts) {
			ProductQuery query = new ProductQuery(filter.category(), filter.tags(), filter.minPrice(),
					filter.maxPrice(), filter.active(), filter.wishlisted(), filter.q(), List.of(sort), 0, 7);
			List<Product> expected = this.seeded.stream()
				.filter(matches(filter))
				.sorted(comparator(sort).thenComparing(Product::id))
				.toList();
			assertThat(this.repository.count(filter).block()).isEqualTo(expected.size());
			int pages = (expected.size() + 6) / 7;
			for (int page = 0; page <= pages; page++) {
				List<String> actual = this.repository.search(filter, PageRequest.of(page, 7, query.order()))
					.map(Product::id)
					.collectList()
					.block();
				List<String> expectedIds = expected.stream().skip(page * 7L).limit(7).map(Product::id).toList();
				assertThat(actual).as("sort %s page %d", sort, page).isEqualTo(expectedIds);
			}
		}
	}

	@ParameterizedTest
	@MethodSource("queries")
	void walkingByKeysetMatchesTheIndependentExpectation(ProductFilter filter) {
		for (String sort : List.of("price,asc", "price,desc", "name,asc", "stock,desc", "updatedAt,asc",
				"createdAt,desc")) {
			ProductQuery query = query(filter, List.of(sort), 7);
			List<String> expected = this.seeded.stream()
				.filter(matches(filter))
				.sorted(comparator(sort).thenComparing(Product::id))
				.map(Product::id)
				.toList();
			assertThat(walk(query)).as("sort %s", sort).isEqualTo(expected);
		}
	}

	@Test
	void walkingByKeysetFollowsEveryFieldOfAMultiFieldSort() {
		ProductQuery query = query(ProductFilter.none(), List.of("stock,desc", "createdAt,asc"), 9);
		List<String> expected = this.seeded.stream()
			.sorted(comparator("stock,desc").thenComparing(comparator("createdAt,asc")).thenComparing(Product::id))
			.map(Product::id)
			.toList();
		assertThat(walk(query)).isEqualTo(expected);
	}

	@Test
	void walkingByKeysetPlacesMissingValuesWhereMongoDbSortsThem() {
		String category = "missing-" + new ObjectId();
		List<Product> saved = this.repository
			.saveAll(Stream.of("b", null, "a", null, "c")
				.map((name) -> new Product(null, name, null, category, BigDecimal.ONE, "USD", 0, List.of(), List.of(),
						true, false, null, Instant.EPOCH, null))
				.toList())
			.collectList()
			.block();
		ProductFilter inCategory = query(category, null, null, null, null, null, null);
		for (String sort : List.of("name,asc", "name,desc", "updatedAt,desc")) {
			ProductQuery query = query(inCategory, List.of(sort), 1);
			List<String> byOffset = this.repository.search(inCategory, PageRequest.of(0, 10, query.order()))
				.map(Product::id)
				.collectList()
				.block();
			assertThat(walk(query)).as(sort).isEqualTo(byOffset).hasSize(5);
		}
		this.repository.deleteAll(saved).block();
	}

	/** Every product of a query, page after page by keyset. */
	private List<String> walk(ProductQuery query) {
		List<String> seen = new ArrayList<>();
		List<Product> page = this.repository.search(query.filter(), PageRequest.of(0, query.size(), query.order()))
			.collectList()
			.block();
		while (!page.isEmpty()) {
			page.forEach((product) -> seen.add(product.id()));
			PageCursor position = PageCursor.after(query, ProductResponse.from(page.get(page.size() - 1)));
			page = this.repository.searchAfter(query.filter(), query.order(), position, query.size())
				.collectList()
				.block();
		}
		return seen;
	}

	private static ProductQuery query(ProductFilter filter, List<String> sort, int size) {
		return new ProductQuery(filter.category(), filter.tags(), filter.minPrice(), filter.maxPrice(), filter.active(),
				filter.wishlisted(), filter.q(), sort, 0, size);
	}

	@Test
	void lastPageHoldsTheRemainderAndPagesBeyondAreEmpty() {
		ProductFilter all = ProductFilter.none();
		ProductQuery query = new ProductQuery(null, null, null, null, null, null, null, List.of(), 0, 50);
		assertThat(this.repository.search(all, PageRequest.of(2, 50, query.order())).count().block()).isEqualTo(20);
		assertThat(this.repository.search(all, PageRequest.of(3, 50, query.order())).count().block()).isZero();
	}

	@Test
	void storesPricesExactlyAsDecimal128() {
		Product saved = this.repository
			.save(new Product(null, "Exact", null, "exact", new BigDecimal("0.10"), "USD", 0, List.of(), List.of(),
					true, false, null, Instant.EPOCH, Instant.EPOCH))
			.block();
		assertThat(this.repository.findById(saved.id()).block().price()).isEqualByComparingTo("0.10");
		this.repository.delete(saved).block();
	}

	private static ProductFilter query(String category, List<String> tags, BigDecimal min, BigDecimal max,
			Boolean active, Boolean wishlisted, String q) {
		return new ProductFilter(category, tags, min, max, active, wishlisted, q);
	}

	private static Predicate<Product> matches(ProductFilter filter) {
		return (product) -> (filter.category() == null || filter.category().equals(product.category()))
				&& (filter.tags().isEmpty() || product.tags().stream().anyMatch(filter.tags()::contains))
				&& (filter.minPrice() == null || product.price().compareTo(filter.minPrice()) >= 0)
				&& (filter.maxPrice() == null || product.price().compareTo(filter.maxPrice()) <= 0)
				&& (filter.active() == null || filter.active() == product.active())
				&& (filter.wishlisted() == null || filter.wishlisted() == product.wishlisted()) && (filter.q() == null
						|| contains(product.name(), filter.q()) || contains(product.description(), filter.q()));
	}

	private static boolean contains(String text, String part) {
		return text != null && text.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
	}

	private static Comparator<Product> comparator(String sort) {
		String[] parts = sort.split(",");
		Comparator<Product> comparator = switch (parts[0]) {
			case "price" -> Comparator.comparing(Product::price);
			case "name" -> Comparator.comparing(Product::name);
			case "stock" -> Comparator.comparingInt(Product::stock);
			case "updatedAt" -> Comparator.comparing(Product::updatedAt);
			default -> Comparator.comparing(Product::createdAt);
		};
		return parts[1].equals("desc") ? comparator.reversed() : comparator;
	}

}
