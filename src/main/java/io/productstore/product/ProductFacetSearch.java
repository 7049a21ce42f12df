package io.productstore.product;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;

import org.bson.Document;
import org.bson.types.Decimal128;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.aggregation.Aggregation;
import org.springframework.data.mongodb.core.aggregation.AggregationOperation;
import org.springframework.stereotype.Component;

/**
 * Computes the facets of a filter with one aggregation: {@code $match} on the filter,
 * then one {@code $facet} stage with a pipeline per facet, so MongoDB reads the matching
 * products once (the embedded mongo-java-server supports {@code $facet} too).
 */
@Component
class ProductFacetSearch {

	private static final Comparator<ProductFacets.Value> MOST_FIRST = Comparator
		.comparingLong(ProductFacets.Value::count)
		.reversed()
		.thenComparing(ProductFacets.Value::value);

	private final ReactiveMongoTemplate mongo;

	ProductFacetSearch(ReactiveMongoTemplate mongo) {
		this.mongo = mongo;
	}

	Mono<ProductFacets> facets(ProductFilter filter) {
		Aggregation aggregation = Aggregation.newAggregation(Aggregation.match(ProductCriteria.of(filter)),
				facetStage());
		return this.mongo.aggregate(aggregation, Product.class, Document.class).next().map(ProductFacetSearch::facets);
	}

	/**
	 * Tags are grouped by product and tag first, then by tag: a product that carries a
	 * tag twice (written by hand) still counts once for it.
	 */
	private static AggregationOperation facetStage() {
		List<Document> categories = List.of(group("$category"));
		List<Document> tags = List.of(new Document("$unwind", "$tags"),
				new Document("$group", new Document("_id", new Document("product", "$_id").append("tag", "$tags"))),
				group("$_id.tag"));
		List<Document> price = List.of(new Document("$group",
				new Document("_id", null).append("total", new Document("$sum", 1))
					.append("min", new Document("$min", "$price"))
					.append("max", new Document("$max", "$price"))));
		return (context) -> new Document("$facet",
				new Document("categories", categories).append("tags", tags).append("price", price));
	}

	private static Document group(String field) {
		return new Document("$group", new Document("_id", field).append("count", new Document("$sum", 1)));
	}

	private static ProductFacets facets(Document result) {
		List<Document> price = result.getList("price", Document.class);
		if (price.isEmpty()) {
			return new ProductFacets(0, List.of(), List.of(), null);
		}
		Document range = price.get(0);
		return new ProductFacets(((Number) range.get("total")).longValue(), values(result, "categories"),
				values(result, "tags"),
				new ProductFacets.PriceRange(decimal(range.get("min")), decimal(range.get("max"))));
	}

	/**
	 * The buckets of a facet, most first; products without the field (null bucket) have
	 * no value to show.
	 */
	private static List<ProductFacets.Value> values(Document result, String facet) {
		return result.getList(facet, Document.class)
			.stream()
			.filter((bucket) -> bucket.get("_id") instanceof String)
			.map((bucket) -> new ProductFacets.Value(bucket.getString("_id"),
					((Number) bucket.get("count")).longValue()))
			.sorted(MOST_FIRST)
			.toList();
	}

	private static BigDecimal decimal(Object value) {
		if (value instanceof Decimal128 decimal) {
			return decimal.bigDecimalValue();
		}
		return (value instanceof Number number) ? new BigDecimal(number.toString()) : null;
	}

}
