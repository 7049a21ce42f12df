package io.productstore.cache;

import reactor.core.publisher.Mono;

/**
 * Fills the cache with the entries most likely to be read; implemented by the features
 * that use the cache and run at startup and on {@code POST /api/cache/warmup}.
 */
public interface CacheWarmer {

	/**
	 * Loads entries into the cache.
	 * @return the number of entries warmed
	 */
	Mono<Long> warmUp();

}
