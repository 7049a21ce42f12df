package io.productstore.product;

import io.productstore.cache.CacheRegion;
import io.productstore.cache.Caches;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The products' region of the cache: every key of a product, its list pages and its
 * counts starts with {@code product}.
 */
@Configuration(proxyBeanMethods = false)
class ProductCacheConfiguration {

	static final String REGION = "product";

	@Bean
	CacheRegion productCache(Caches caches) {
		return caches.region(REGION);
	}

}
