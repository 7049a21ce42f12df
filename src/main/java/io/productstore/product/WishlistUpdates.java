package io.productstore.product;

import java.time.Instant;

import reactor.core.publisher.Mono;

/**
 * The wishlist flag's write, a fragment of {@link ProductRepository}: one atomic update,
 * where a save would need a read before it.
 */
interface WishlistUpdates {

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
