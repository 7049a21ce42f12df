package io.productstore.product;

import java.time.Instant;

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

	/**
	 * Sets the wishlist flag of a product in one atomic update that bumps its version and
	 * {@code updatedAt} as a save does. Nothing is read first, so there is no window for
	 * another writer to get in between: concurrent toggles all succeed, in some order.
	 * @param id the product
	 * @param wishlisted the flag
	 * @param updatedAt the time of the change
	 * @return the product as written, or empty when there is no such product
	 */
	Mono<Product> setWishlisted(String id, boolean wishlisted, Instant updatedAt);

}
