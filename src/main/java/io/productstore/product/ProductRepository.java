package io.productstore.product;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;

/**
 * Reactive MongoDB access to products, with the filtered listing from
 * {@link ProductSearchRepository}.
 */
interface ProductRepository extends ReactiveCrudRepository<Product, String>, ProductSearchRepository {

}
