package io.productstore.product;

import jakarta.validation.constraints.NotNull;

/**
 * Body of the wishlist toggle: {@code {"wishlisted": true}}.
 */
record WishlistRequest(@NotNull Boolean wishlisted) {

}
