package io.productstore.product;

/**
 * The number of products that match a filter.
 */
public record ProductCount(long count) {

}
