package io.productstore.product;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.swagger.v3.oas.annotations.Parameter;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.data.domain.Sort;

/**
 * The query parameters of a product listing: filter, sort and page, validated at the
 * edge.
 */
record ProductQuery(@Parameter(description = "Exact category") @Size(max = 100) String category,
		@Parameter(description = "Any of these tags (repeatable)") @Size(max = 20) List<@Size(max = 50) String> tag,
		@Parameter(description = "Lowest price, inclusive") @Digits(integer = 15, fraction = 6) BigDecimal minPrice,
		@Parameter(description = "Highest price, inclusive") @Digits(integer = 15, fraction = 6) BigDecimal maxPrice,
		Boolean active, Boolean wishlisted,
		@Parameter(description = "Case-insensitive substring of name or description, taken literally") @Size(
				max = 200) String q,
		@Parameter(description = "field,asc|desc (repeatable); fields name, price, createdAt, updatedAt, stock. "
				+ "Default: createdAt,desc") List<@Pattern(regexp = SORT_PATTERN,
						message = "must be field,asc|desc with field one of name, price, createdAt, updatedAt, stock") String> sort,
		@Parameter(description = "0-based page number") @Min(0) @Max(10_000) Integer page,
		@Parameter(description = "Page size, 1..100") @Min(1) @Max(100) Integer size) {

	static final String SORT_PATTERN = "(name|price|createdAt|updatedAt|stock)(,(?i)(asc|desc))?";

	static final int DEFAULT_SIZE = 20;

	/**
	 * Written out rather than compact, so that the components' annotations stay on the
	 * fields and accessors (where validation and the API docs read them) and do not land
	 * on the constructor's parameters: data binding creates the query through this
	 * constructor on every list request, and it asks for each parameter's annotations,
	 * which the JDK parses anew on each call; with the annotations there, that parsing
	 * was half of a cached list read's CPU.
	 */
	ProductQuery(String category, List<String> tag, BigDecimal minPrice, BigDecimal maxPrice, Boolean active,
			Boolean wishlisted, String q, List<String> sort, Integer page, Integer size) {
		this.category = category;
		this.tag = tag;
		this.minPrice = minPrice;
		this.maxPrice = maxPrice;
		this.active = active;
		this.wishlisted = wishlisted;
		this.q = q;
		this.sort = (sort != null) ? pairs(sort) : List.of();
		this.page = (page != null) ? page : 0;
		this.size = (size != null) ? size : DEFAULT_SIZE;
	}

	/**
	 * Data binding splits a single {@code sort=price,asc} at the comma but keeps repeated
	 * parameters whole; re-pairing the tokens gives {@code field,direction} items either
	 * way.
	 */
	private static List<String> pairs(List<String> sort) {
		List<String> tokens = sort.stream().flatMap((item) -> Arrays.stream(item.split(",", -1))).toList();
		List<String> items = new ArrayList<>();
		for (int i = 0; i < tokens.size(); i++) {
			String token = tokens.get(i);
			boolean directionFollows = i + 1 < tokens.size() && tokens.get(i + 1).matches("(?i)asc|desc");
			items.add(directionFollows ? token + "," + tokens.get(++i) : token);
		}
		return List.copyOf(items);
	}

	ProductQuery wishlistedOnly() {
		return new ProductQuery(this.category, this.tag, this.minPrice, this.maxPrice, this.active, true, this.q,
				this.sort, this.page, this.size);
	}

	ProductFilter filter() {
		return new ProductFilter(this.category, this.tag, this.minPrice, this.maxPrice, this.active, this.wishlisted,
				this.q);
	}

	/**
	 * The requested order, newest first by default, ties broken by id for stable pages.
	 */
	Sort order() {
		List<Sort.Order> orders = new ArrayList<>();
		for (String item : this.sort) {
			String[] parts = item.split(",");
			boolean descending = parts.length > 1 && parts[1].toLowerCase(Locale.ROOT).equals("desc");
			orders.add(descending ? Sort.Order.desc(parts[0]) : Sort.Order.asc(parts[0]));
		}
		if (orders.isEmpty()) {
			orders.add(Sort.Order.desc("createdAt"));
		}
		orders.add(Sort.Order.asc("_id"));
		return Sort.by(orders);
	}

	/** Canonical text of the whole query, the cache key of a list page. */
	String canonical() {
		return filter().canonical() + "|"
				+ new CanonicalForm().add("page", this.page)
					.add("size", this.size)
					.add("sort", order().toString())
					.toString();
	}

}
