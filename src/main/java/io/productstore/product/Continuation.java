package io.productstore.product;

import org.springframework.util.MultiValueMap;

/**
 * A list request resolved against its {@code cursor=}: the query to run and, when it
 * continues a walk, the position to continue from. A cursor carries its own query, so a
 * request may repeat the cursor's filters and sort but not change them, and may not ask
 * for a page number.
 *
 * @param query the query
 * @param after the position after which the page starts; null for a page by offset
 */
record Continuation(ProductQuery query, PageCursor after) {

	static Continuation of(ProductQuery requested, String token, MultiValueMap<String, String> parameters,
			CursorCodec cursors) {
		if (token == null) {
			return new Continuation(requested, null);
		}
		if (parameters.containsKey("page")) {
			throw new InvalidParameterException("page",
					"cannot be combined with cursor: a cursor continues after the last product it saw");
		}
		PageCursor cursor = cursors.decode(token);
		int size = parameters.containsKey("size") ? requested.size() : cursor.size();
		ProductQuery continued = cursor.query(size);
		if (!requested.filter().agreesWith(cursor.filter())) {
			throw new InvalidParameterException(CursorCodec.PARAMETER,
					"continues a query with other filters than this request's: send the cursor without filters");
		}
		if (!requested.sort().isEmpty() && !requested.order().equals(continued.order())) {
			throw new InvalidParameterException(CursorCodec.PARAMETER,
					"continues a query in another order than this request's: send the cursor without sort");
		}
		return new Continuation(continued, cursor);
	}

}
