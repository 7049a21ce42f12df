package io.productstore.product;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
 * <p>
 * Every order ends with the {@code _id} tie-breaker, ascending, so each sort field has
 * two compound indexes, {@code {f: 1, _id: 1}} and {@code {f: -1, _id: 1}}: MongoDB walks
 * an index forwards or backwards but cannot flip one of its fields, and a keyset page (a
 * range on f, then on {@code _id} where f ties) must read its products in index order to
 * stop after one page. Walking a category in the default order has its own. They also
 * serve the price range filters and offset pages. docs/frontend-reads.md has the plans.
 */
@Component
class ProductIndexes {

	private static final Logger logger = LoggerFactory.getLogger(ProductIndexes.class);

	private static final String[] FILTER_FIELDS = { "category", "tags", "active", "wishlisted" };

	private final Mono<Long> created;

	ProductIndexes(ReactiveMongoTemplate mongo) {
		this.created = Flux.fromIterable(indexes())
			.concatMap((index) -> mongo.indexOps(Product.class).createIndex(index))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30)))
			.count()
			.cache();
	}

	static List<Index> indexes() {
		List<Index> indexes = new ArrayList<>();
		for (String field : FILTER_FIELDS) {
			indexes.add(new Index(field, Sort.Direction.ASC));
		}
		for (SortField sort : SortField.values()) {
			indexes.add(new Index().on(sort.field(), Sort.Direction.ASC).on("_id", Sort.Direction.ASC));
			indexes.add(new Index().on(sort.field(), Sort.Direction.DESC).on("_id", Sort.Direction.ASC));
		}
		indexes.add(new Index().on("category", Sort.Direction.ASC)
			.on("createdAt", Sort.Direction.DESC)
			.on("_id", Sort.Direction.ASC));
		return indexes;
	}

	@EventListener(ApplicationReadyEvent.class)
	void createIndexes() {
		this.created.subscribe((count) -> logger.info("Product indexes ready ({})", count),
				(ex) -> logger.warn("Could not create product indexes", ex));
	}

	/**
	 * Completes once the indexes exist. Bulk writes wait for it: the embedded
	 * MongoDB-compatible server fails inserts that run while it builds an index.
	 * @return the number of indexes
	 */
	Mono<Long> created() {
		return this.created;
	}

}
