package io.productstore.product;

import java.math.BigDecimal;
import java.util.List;
import java.util.TreeSet;

/**
 * The optional, combinable criteria of a product listing; absent criteria match
 * everything.
 */
record ProductFilter(String category, List<String> tags, BigDecimal minPrice, BigDecimal maxPrice, Boolean active,
		Boolean wishlisted, String q) {

	ProductFilter {
		tags = (tags != null) ? List.copyOf(new TreeSet<>(tags)) : List.of();
	}

	static ProductFilter none() {
		return new ProductFilter(null, null, null, null, null, null, null);
	}

	/**
	 * Whether every criterion this filter sets is also the other's, so a request with
	 * this filter may continue a walk of the other's.
	 */
	boolean agreesWith(ProductFilter other) {
		return agrees(this.category, other.category) && (this.tags.isEmpty() || this.tags.equals(other.tags))
				&& agrees(this.minPrice, other.minPrice) && agrees(this.maxPrice, other.maxPrice)
				&& agrees(this.active, other.active) && agrees(this.wishlisted, other.wishlisted)
				&& agrees(this.q, other.q);
	}

	private static boolean agrees(Object mine, Object theirs) {
		return mine == null || mine.equals(theirs);
	}

	private static boolean agrees(BigDecimal mine, BigDecimal theirs) {
		return mine == null || (theirs != null && mine.compareTo(theirs) == 0);
	}

	/**
	 * A canonical text of the criteria: the same filter written with parameters in any
	 * order, repeated tags or {@code 10.0} for {@code 10} gives the same text.
	 */
	String canonical() {
		return new CanonicalForm().add("active", this.active)
			.add("category", this.category)
			.add("maxPrice", plain(this.maxPrice))
			.add("minPrice", plain(this.minPrice))
			.add("q", this.q)
			.addEach("tag", this.tags)
			.add("wishlisted", this.wishlisted)
			.toString();
	}

	private static String plain(BigDecimal number) {
		return (number != null) ? number.stripTrailingZeros().toPlainString() : null;
	}

}
