package io.productstore.product;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Pageable;

/**
 * Repository fragment for the filtered, sorted and paged product listing.
 */
interface ProductSearchRepository {

	Flux<Product> search(ProductFilter filter, Pageable pageable);

	Mono<Long> count(ProductFilter filter);

	/**
	 * Every product the filter matches, in {@code _id} order, read from MongoDB as fast
	 * as the subscriber asks for them.
	 * @param filter the criteria
	 * @return the products
	 */
	Flux<Product> export(ProductFilter filter);

}
