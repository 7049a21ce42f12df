package io.productstore.product;

import java.util.List;

/**
 * One page of a product listing, with the totals a frontend needs to draw a pager.
 */
public record ProductPage(List<ProductResponse> items, int page, int size, long totalItems, int totalPages) {

	static ProductPage of(List<ProductResponse> items, ProductQuery query, long totalItems) {
		int totalPages = (int) ((totalItems + query.size() - 1) / query.size());
		return new ProductPage(items, query.page(), query.size(), totalItems, totalPages);
	}

}
