package io.productstore.product;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bson.types.Decimal128;

import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/**
 * Builds the MongoDB condition of a {@link ProductFilter}, for finds, counts and
 * aggregations alike. Values are always compared as values, never parsed as query
 * operators, and the text search is an escaped, literal substring match.
 */
final class ProductCriteria {

	private static final Pattern REGEX_METACHARACTERS = Pattern.compile("[\\\\^$.|?*+()\\[\\]{}]");

	private ProductCriteria() {
	}

	/** The filter's condition and the further ones, all of which must hold. */
	static Query query(ProductFilter filter, Criteria... more) {
		List<Criteria> criteria = all(filter, more);
		return criteria.isEmpty() ? new Query() : new Query(new Criteria().andOperator(criteria));
	}

	/** The filter's condition; an empty one matches every product. */
	static Criteria of(ProductFilter filter) {
		List<Criteria> criteria = all(filter);
		return criteria.isEmpty() ? new Criteria() : new Criteria().andOperator(criteria);
	}

	private static List<Criteria> all(ProductFilter filter, Criteria... more) {
		List<Criteria> criteria = new ArrayList<>(List.of(more));
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
		return criteria;
	}

	private static Criteria containsText(String text) {
		String literal = REGEX_METACHARACTERS.matcher(text)
			.replaceAll((match) -> "\\\\" + Matcher.quoteReplacement(match.group()));
		return new Criteria().orOperator(Criteria.where("name").regex(literal, "i"),
				Criteria.where("description").regex(literal, "i"));
	}

}
