package io.productstore.product;

import java.math.BigDecimal;
import java.util.List;

import io.swagger.v3.oas.annotations.Parameter;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Size;

/**
 * The filter parameters of the list without its paging and sort, for the routes that take
 * only those (the export), validated at the edge with the list's rules.
 */
record ProductFilterParameters(@Parameter(description = "Exact category") @Size(max = 100) String category,
		@Parameter(description = "Any of these tags (repeatable)") @Size(max = 20) List<@Size(max = 50) String> tag,
		@Parameter(description = "Lowest price, inclusive") @Digits(integer = 15, fraction = 6) BigDecimal minPrice,
		@Parameter(description = "Highest price, inclusive") @Digits(integer = 15, fraction = 6) BigDecimal maxPrice,
		Boolean active, Boolean wishlisted,
		@Parameter(description = "Case-insensitive substring of name or description, taken literally") @Size(
				max = 200) String q) {

	/**
	 * Written out, not implicit, for the reason given on {@link ProductQuery}'s
	 * constructor: the components' annotations stay off the parameters that data binding
	 * inspects on every request.
	 */
	ProductFilterParameters(String category, List<String> tag, BigDecimal minPrice, BigDecimal maxPrice, Boolean active,
			Boolean wishlisted, String q) {
		this.category = category;
		this.tag = tag;
		this.minPrice = minPrice;
		this.maxPrice = maxPrice;
		this.active = active;
		this.wishlisted = wishlisted;
		this.q = q;
	}

	ProductFilter filter() {
		return new ProductFilter(this.category, this.tag, this.minPrice, this.maxPrice, this.active, this.wishlisted,
				this.q);
	}

}
