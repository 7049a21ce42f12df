package io.productstore.product;

import java.time.Instant;

import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/**
 * {@link WishlistUpdates} as a {@code findAndModify} that returns the product as written.
 */
class WishlistUpdatesImpl implements WishlistUpdates {

	private final ReactiveMongoTemplate mongo;

	WishlistUpdatesImpl(ReactiveMongoTemplate mongo) {
		this.mongo = mongo;
	}

	@Override
	public Mono<Product> setWishlisted(String id, boolean wishlisted, Instant updatedAt) {
		// The same fields a save of the changed product writes: the flag, the time and
		// the version (which the ETag and the cache's ordering of writes are made of).
		Update update = new Update().set("wishlisted", wishlisted).set("updatedAt", updatedAt).inc("version", 1);
		return this.mongo.findAndModify(Query.query(Criteria.where("id").is(id)), update,
				FindAndModifyOptions.options().returnNew(true), Product.class);
	}

}
