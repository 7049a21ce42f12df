package io.productstore.product;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One page of a product listing: by offset, with the totals a frontend needs to draw a
 * pager; by cursor, without them (counting on every page of an infinite scroll would cost
 * what keyset paging saves). Either way with the cursor of the next page.
 */
public record ProductPage(List<ProductResponse> items, @Schema(
		description = "0-based page number; absent on pages read by cursor") @JsonInclude(JsonInclude.Include.NON_NULL) Integer page,
		int size,
		@Schema(description = "Absent on pages read by cursor") @JsonInclude(JsonInclude.Include.NON_NULL) Long totalItems,
		@Schema(description = "Absent on pages read by cursor") @JsonInclude(JsonInclude.Include.NON_NULL) Integer totalPages,
		@Schema(description = "Opaque token: pass it as cursor= for the next page of the same query; null on the last page",
				nullable = true) String nextCursor) {

	static ProductPage of(List<ProductResponse> items, ProductQuery query, long totalItems, String nextCursor) {
		int totalPages = (int) ((totalItems + query.size() - 1) / query.size());
		return new ProductPage(items, query.page(), query.size(), totalItems, totalPages, nextCursor);
	}

	static ProductPage continued(List<ProductResponse> items, int size, String nextCursor) {
		return new ProductPage(items, null, size, null, null, nextCursor);
	}

}
