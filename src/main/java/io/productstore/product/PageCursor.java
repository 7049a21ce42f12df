package io.productstore.product;

import java.util.List;

import org.bson.types.ObjectId;

import org.springframework.data.domain.Sort;

/**
 * Where a walk through a listing stands: the query (filter, sort, page size) and the
 * position after which the next page starts, as the last product's values of the sort
 * fields and its id (the keyset). What a cursor token carries, signed.
 *
 * @param filter the filter of the walk
 * @param sort the sort parameters as requested ({@code field,direction} items)
 * @param size the page size
 * @param after the last product's value of each sort field, in order (null where it has
 * none)
 * @param id the last product's id, the tie-breaker of every order
 */
record PageCursor(ProductFilter filter, List<String> sort, int size, List<String> after, String id) {

	/** The position after the last product of a page of the query. */
	static PageCursor after(ProductQuery query, ProductResponse last) {
		List<String> values = sortFields(query.order()).stream().map((field) -> field.valueOf(last)).toList();
		return new PageCursor(query.filter(), query.sort(), query.size(), values, last.id());
	}

	/**
	 * The same query, continued: the cursor's filter and sort with the given page size.
	 */
	ProductQuery query(int pageSize) {
		return new ProductQuery(this.filter.category(), this.filter.tags(), this.filter.minPrice(),
				this.filter.maxPrice(), this.filter.active(), this.filter.wishlisted(), this.filter.q(), this.sort,
				null, pageSize);
	}

	/**
	 * Whether the content is a position in its own order: one value per sort field, each
	 * readable as that field's type, and an ObjectId. A signed cursor always is; this
	 * guards against a cursor signed by an older version of the service.
	 */
	boolean wellFormed() {
		try {
			List<SortField> fields = sortFields(query(this.size).order());
			if (this.size < 1 || this.size > 100 || fields.size() != this.after.size() || !ObjectId.isValid(this.id)) {
				return false;
			}
			for (int i = 0; i < fields.size(); i++) {
				fields.get(i).stored(this.after.get(i));
			}
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/** The sort fields of an order, without the {@code _id} tie-breaker. */
	static List<SortField> sortFields(Sort order) {
		return order.stream()
			.map(Sort.Order::getProperty)
			.filter((property) -> !property.equals("_id"))
			.map(SortField::named)
			.toList();
	}

}
