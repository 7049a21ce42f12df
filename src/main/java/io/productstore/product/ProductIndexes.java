package io.productstore.product;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.stereotype.Component;

/**
 * Creates the indexes behind the list filters and sort orders when the service starts,
 * retrying in the background while MongoDB is not reachable yet.
 */
@Component
class ProductIndexes {

	private static final Logger logger = LoggerFactory.getLogger(ProductIndexes.class);

	private static final String[] INDEXED_FIELDS = { "category", "tags", "price", "active", "wishlisted", "name",
			"stock", "createdAt", "updatedAt" };

	private final Mono<Long> created;

	ProductIndexes(ReactiveMongoTemplate mongo) {
		this.created = Flux.fromArray(INDEXED_FIELDS)
			.concatMap((field) -> mongo.indexOps(Product.class).createIndex(new Index(field, Sort.Direction.ASC)))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30)))
			.count()
			.cache();
	}

	@EventListener(ApplicationReadyEvent.class)
	void createIndexes() {
		this.created.subscribe((count) -> logger.info("Product indexes ready ({} fields)", count),
				(ex) -> logger.warn("Could not create product indexes", ex));
	}

	/**
	 * Completes once the indexes exist. Bulk writes wait for it: the embedded
	 * MongoDB-compatible server fails inserts that run while it builds an index.
	 * @return the number of indexed fields
	 */
	Mono<Long> created() {
		return this.created;
	}

}
