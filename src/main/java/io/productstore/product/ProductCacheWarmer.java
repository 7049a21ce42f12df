package io.productstore.product;

import java.util.List;

import io.productstore.cache.CacheProperties;
import io.productstore.cache.CacheWarmer;
import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.aggregation.Aggregation;
import org.springframework.stereotype.Component;

/**
 * Warms the cache with what a storefront asks for first: the most recently updated
 * products and the first page of each category.
 */
@Component
class ProductCacheWarmer implements CacheWarmer {

	private final ProductService products;

	private final ProductRepository repository;

	private final ReactiveMongoTemplate mongo;

	private final int items;

	ProductCacheWarmer(ProductService products, ProductRepository repository, ReactiveMongoTemplate mongo,
			CacheProperties cache) {
		this.products = products;
		this.repository = repository;
		this.mongo = mongo;
		this.items = cache.warmup().items();
	}

	@Override
	public Mono<Long> warmUp() {
		Flux<Object> recent = this.repository
			.search(ProductFilter.none(), PageRequest.of(0, this.items, Sort.by(Sort.Order.desc("updatedAt"))))
			.concatMap((product) -> this.products.find(product.id(), false));
		// $group rather than distinct: the embedded MongoDB-compatible server lacks the
		// latter.
		Flux<Object> categories = this.mongo
			.aggregate(Aggregation.newAggregation(Aggregation.group("category")), Product.class, Document.class)
			.map((group) -> group.getString("_id"))
			.concatMap((category) -> this.products.list(firstPage(category), false));
		return Flux.concat(recent, categories).count();
	}

	private static ProductQuery firstPage(String category) {
		return new ProductQuery(category, List.of(), null, null, null, null, null, List.of(), 0,
				ProductQuery.DEFAULT_SIZE);
	}

}
