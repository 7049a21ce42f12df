package io.productstore.product;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Component;

/**
 * Reads pages of a listing from MongoDB, by offset or after a cursor's position, each
 * with the signed cursor of the page that follows it (null on the last one).
 */
@Component
class ProductPages {

	private final ProductRepository repository;

	private final CursorCodec cursors;

	ProductPages(ProductRepository repository, CursorCodec cursors) {
		this.repository = repository;
		this.cursors = cursors;
	}

	/** Page {@code query.page()}, with the totals and the cursor after its last item. */
	Mono<ProductPage> byOffset(ProductQuery query) {
		PageRequest pageable = PageRequest.of(query.page(), query.size(), query.order());
		return this.repository.search(query.filter(), pageable)
			.map(ProductResponse::from)
			.collectList()
			.zipWith(this.repository.count(query.filter()))
			.map((result) -> {
				List<ProductResponse> items = result.getT1();
				boolean more = (long) query.page() * query.size() + items.size() < result.getT2();
				return ProductPage.of(items, query, result.getT2(), next(query, items, more));
			});
	}

	/**
	 * The page after a position. One product more than the page is read, to know whether
	 * another page follows without counting.
	 */
	Mono<ProductPage> after(ProductQuery query, PageCursor position) {
		return this.repository.searchAfter(query.filter(), query.order(), position, query.size() + 1)
			.map(ProductResponse::from)
			.collectList()
			.map((read) -> {
				boolean more = read.size() > query.size();
				List<ProductResponse> items = more ? read.subList(0, query.size()) : read;
				return ProductPage.continued(items, query.size(), next(query, items, more));
			});
	}

	/**
	 * The cache key text of the page after a position; it names the signing key, as
	 * {@link #offsetKey} does, because the page holds a cursor signed with it.
	 */
	String afterKey(ProductQuery query, PageCursor position) {
		CanonicalForm form = new CanonicalForm().add("size", query.size()).add("sort", query.order().toString());
		for (int i = 0; i < position.after().size(); i++) {
			// Indexed names: a missing value must not shift the ones after it.
			form.add("after" + i, position.after().get(i));
		}
		return query.filter().canonical() + "|" + form.add("id", position.id()).add("key", this.cursors.keyId());
	}

	/** The cache key text of a page by offset. */
	String offsetKey(ProductQuery query) {
		return query.canonical() + "|" + new CanonicalForm().add("key", this.cursors.keyId());
	}

	private String next(ProductQuery query, List<ProductResponse> items, boolean more) {
		return (more && !items.isEmpty()) ? this.cursors.encode(PageCursor.after(query, items.get(items.size() - 1)))
				: null;
	}

}
