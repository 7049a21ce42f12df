/**
 * How the cache survives a slow, hung or restarted Redis: an outage is detected by the
 * circuit breaker ({@code CacheCircuitBreaker}) or by the heartbeat seeing a new
 * {@code run_id}; while it lasts, reads bypass Redis ({@code CacheAvailability}) and
 * missed invalidations go to the {@code InvalidationJournal}; it ends when the
 * {@code CacheRecovery} (a state machine, see its implementation notes) has replayed the
 * journal or bumped the {@code CacheEpoch}. {@code CacheResilience} is what the rest of
 * the engine sees of it. Internal to the cache.
 */
package io.productstore.cache.outage;
