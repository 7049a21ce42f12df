package io.productstore.product;

import io.productstore.cache.CacheRegion;
import io.productstore.cache.Caches;
import io.productstore.cache.CollectionChanges;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;
import org.springframework.data.mongodb.core.mapping.MongoPersistentEntity;
import org.springframework.data.mongodb.core.mapping.MongoPersistentProperty;

/**
 * The products' region of the cache: every key of a product, its list pages and its
 * counts starts with {@code product}; and the collection whose change stream invalidates
 * it, whoever writes to it.
 */
@Configuration(proxyBeanMethods = false)
class ProductCacheConfiguration {

	static final String REGION = "product";

	@Bean
	CacheRegion productCache(Caches caches) {
		return caches.region(REGION);
	}

	/** The collection and version field as Spring Data maps {@link Product}. */
	@Bean
	CollectionChanges productChanges(CacheRegion productCache, MongoMappingContext mapping) {
		MongoPersistentEntity<?> products = mapping.getRequiredPersistentEntity(Product.class);
		MongoPersistentProperty version = products.getRequiredVersionProperty();
		return CollectionChanges.of(productCache, products.getCollection(), version.getFieldName());
	}

}
