/**
 * The Redis-first cache as a feature sees it: {@link io.productstore.cache.Caches} hands
 * out one {@link io.productstore.cache.CacheRegion} per kind of entity, whose reads go
 * through memory ({@code near/}), Redis ({@code redis/}) and the origin, guarded by the
 * outage handling ({@code outage/}), and whose writes reach every level of every
 * instance. Also the read outcomes, the configuration properties and the one
 * {@link io.productstore.cache.CacheConfiguration} that wires the engine; {@code admin/}
 * holds statistics, health, warm-up and the generic admin routes. The sub-packages are
 * internal (checked by {@code ArchitectureTests}).
 */
package io.productstore.cache;
