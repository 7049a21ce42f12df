package io.productstore.product;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bson.types.Decimal128;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/**
 * Builds a MongoDB query from the optional criteria of a {@link ProductFilter}. Values
 * are always compared as values, never parsed as query operators, and the text search is
 * an escaped, literal substring match.
 */
class ProductSearchRepositoryImpl implements ProductSearchRepository {

	private static final Pattern REGEX_METACHARACTERS = Pattern.compile("[\\\\^$.|?*+()\\[\\]{}]");

	private static final int EXPORT_BATCH = 256;

	private final ReactiveMongoTemplate mongo;

	ProductSearchRepositoryImpl(ReactiveMongoTemplate mongo) {
		this.mongo = mongo;
	}

	@Override
	public Flux<Product> search(ProductFilter filter, Pageable pageable) {
		return this.mongo.find(query(filter).with(pageable), Product.class);
	}

	@Override
	public Mono<Long> count(ProductFilter filter) {
		return this.mongo.count(query(filter), Product.class);
	}

	@Override
	public Flux<Product> export(ProductFilter filter) {
		// Bounded batches: the driver asks MongoDB for no more than the subscriber
		// demanded, and never for more than this at once.
		return this.mongo.find(query(filter).with(Sort.by("_id")).cursorBatchSize(EXPORT_BATCH), Product.class);
	}

	private static Query query(ProductFilter filter) {
		List<Criteria> criteria = new ArrayList<>();
		if (filter.category() != null) {
			criteria.add(Criteria.where("category").is(filter.category()));
		}
		if (!filter.tags().isEmpty()) {
			criteria.add(Criteria.where("tags").in(filter.tags()));
		}
		if (filter.minPrice() != null) {
			criteria.add(Criteria.where("price").gte(new Decimal128(filter.minPrice())));
		}
		if (filter.maxPrice() != null) {
			criteria.add(Criteria.where("price").lte(new Decimal128(filter.maxPrice())));
		}
		if (filter.active() != null) {
			criteria.add(Criteria.where("active").is(filter.active()));
		}
		if (filter.wishlisted() != null) {
			criteria.add(Criteria.where("wishlisted").is(filter.wishlisted()));
		}
		if (filter.q() != null && !filter.q().isEmpty()) {
			criteria.add(containsText(filter.q()));
		}
		return criteria.isEmpty() ? new Query() : new Query(new Criteria().andOperator(criteria));
	}

	private static Criteria containsText(String text) {
		String literal = REGEX_METACHARACTERS.matcher(text)
			.replaceAll((match) -> "\\\\" + Matcher.quoteReplacement(match.group()));
		return new Criteria().orOperator(Criteria.where("name").regex(literal, "i"),
				Criteria.where("description").regex(literal, "i"));
	}

}
