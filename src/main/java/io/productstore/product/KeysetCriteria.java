package io.productstore.product;

import java.util.ArrayList;
import java.util.List;

import org.bson.types.ObjectId;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.query.Criteria;

/**
 * The MongoDB condition "after this position in this order" of keyset paging: for sort
 * fields f1..fn and the tie-breaker {@code _id}, a product comes after (v1..vn, id) when
 * it equals the position on f1..fi-1 and lies beyond it on fi, for some i. A walk that
 * continues from a position, not from an offset, neither repeats nor skips a product that
 * existed throughout, whatever was inserted or deleted meanwhile.
 * <p>
 * Missing values sort first in MongoDB (ascending), so "beyond a missing value" is any
 * value going up and nothing going down, and "beyond a value" going down includes the
 * products that have none.
 */
final class KeysetCriteria {

	private KeysetCriteria() {
	}

	static Criteria after(Sort order, PageCursor position) {
		List<Sort.Order> orders = order.toList();
		List<Object> values = new ArrayList<>();
		List<SortField> fields = PageCursor.sortFields(order);
		for (int i = 0; i < fields.size(); i++) {
			values.add(fields.get(i).stored(position.after().get(i)));
		}
		values.add(new ObjectId(position.id()));
		List<Criteria> branches = new ArrayList<>();
		for (int i = 0; i < orders.size(); i++) {
			Criteria beyond = beyond(orders.get(i), values.get(i));
			if (beyond == null) {
				continue;
			}
			List<Criteria> branch = new ArrayList<>();
			for (int j = 0; j < i; j++) {
				branch.add(Criteria.where(orders.get(j).getProperty()).is(values.get(j)));
			}
			branch.add(beyond);
			branches.add((branch.size() == 1) ? branch.get(0) : new Criteria().andOperator(branch));
		}
		return new Criteria().orOperator(branches);
	}

	/** Strictly beyond a value in one field's direction; null when nothing can be. */
	private static Criteria beyond(Sort.Order order, Object value) {
		String field = order.getProperty();
		if (order.isAscending()) {
			return (value != null) ? Criteria.where(field).gt(value) : Criteria.where(field).ne(null);
		}
		if (value == null) {
			return null;
		}
		return new Criteria().orOperator(Criteria.where(field).lt(value), Criteria.where(field).is(null));
	}

}
