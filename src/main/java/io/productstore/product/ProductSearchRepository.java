package io.productstore.product;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;

/**
 * Repository fragment for the filtered, sorted and paged product listing, by offset or by
 * keyset.
 */
interface ProductSearchRepository {

	Flux<Product> search(ProductFilter filter, Pageable pageable);

	/**
	 * The products of a filter that come after a position in an order, at most
	 * {@code limit}.
	 */
	Flux<Product> searchAfter(ProductFilter filter, Sort order, PageCursor position, int limit);

	Mono<Long> count(ProductFilter filter);

	/**
	 * Every product the filter matches, in {@code _id} order, read from MongoDB as fast
	 * as the subscriber asks for them.
	 * @param filter the criteria
	 * @return the products
	 */
	Flux<Product> export(ProductFilter filter);

}
