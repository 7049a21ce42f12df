package io.productstore.cache;

/**
 * Published (as a Spring application event, and to listeners registered with
 * {@link CacheResilience#addListener}) whenever the engine stops or starts serving from
 * Redis: {@code false} when the circuit breaker opens, an invalidation could not reach
 * Redis or a Redis restart was detected; {@code true} when a recovery completed (missed
 * invalidations replayed or the epoch bumped) and when another instance's epoch bump was
 * picked up. Anything holding copies of Redis entries (a near cache) must drop them on
 * every event, whatever {@code available} says.
 *
 * @param available whether reads are served from Redis again
 * @param reason why, for logs
 */
public record CacheAvailabilityChanged(boolean available, String reason) {

}
