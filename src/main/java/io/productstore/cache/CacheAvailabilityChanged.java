package io.productstore.cache;

/**
 * Published when Redis becomes unavailable to the cache (the circuit breaker opened) or
 * available again (recovery completed); the near cache clears itself on the first and
 * fills again only after the second.
 *
 * @param available whether Redis can be used again
 */
public record CacheAvailabilityChanged(boolean available) {

}
