package io.productstore.product;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;

/**
 * The filtered listing's MongoDB queries, by offset and by keyset, built by
 * {@link ProductCriteria}.
 */
class ProductSearchRepositoryImpl implements ProductSearchRepository {

	private static final int EXPORT_BATCH = 256;

	private final ReactiveMongoTemplate mongo;

	ProductSearchRepositoryImpl(ReactiveMongoTemplate mongo) {
		this.mongo = mongo;
	}

	@Override
	public Flux<Product> search(ProductFilter filter, Pageable pageable) {
		return this.mongo.find(ProductCriteria.query(filter).with(pageable), Product.class);
	}

	@Override
	public Flux<Product> searchAfter(ProductFilter filter, Sort order, PageCursor position, int limit) {
		Query query = ProductCriteria.query(filter, KeysetCriteria.after(order, position)).with(order).limit(limit);
		return this.mongo.find(query, Product.class);
	}

	@Override
	public Mono<Long> count(ProductFilter filter) {
		return this.mongo.count(ProductCriteria.query(filter), Product.class);
	}

	@Override
	public Flux<Product> export(ProductFilter filter) {
		// Bounded batches: the driver asks MongoDB for no more than the subscriber
		// demanded, and never for more than this at once.
		return this.mongo.find(ProductCriteria.query(filter).with(Sort.by("_id")).cursorBatchSize(EXPORT_BATCH),
				Product.class);
	}

}
