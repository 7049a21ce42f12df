package io.productstore.product;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;

/**
 * Reactive MongoDB access to products, with the filtered listing from
 * {@link ProductSearchRepository} and the wishlist flag's atomic update from
 * {@link WishlistUpdates}.
 */
interface ProductRepository extends ReactiveCrudRepository<Product, String>, ProductSearchRepository, WishlistUpdates {

}
