package io.productstore.product;

import java.math.BigDecimal;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What a filter sidebar shows for the current filters: how many products match, how many
 * of them are in each category and carry each tag (most first, then by value), and their
 * price range.
 *
 * @param total the products that match
 * @param categories count per category
 * @param tags count per tag (a product counts once per tag it carries)
 * @param price the lowest and highest price; null when nothing matches
 */
public record ProductFacets(long total, List<Value> categories, List<Value> tags,
		@Schema(nullable = true) PriceRange price) {

	/**
	 * One value of a facet and the number of matching products that have it.
	 *
	 * @param value the category or tag
	 * @param count the matching products with it
	 */
	public record Value(@Schema(example = "kitchen") String value, @Schema(example = "38") long count) {

	}

	/**
	 * The price range of the matching products.
	 *
	 * @param min the lowest price
	 * @param max the highest price
	 */
	public record PriceRange(@Schema(example = "1.50", type = "number") BigDecimal min,
			@Schema(example = "999.00", type = "number") BigDecimal max) {

	}

}
