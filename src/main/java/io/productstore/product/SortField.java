package io.productstore.product;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.function.Function;

import org.bson.types.Decimal128;

/**
 * The fields a listing can be sorted by, with how a cursor carries a product's value of
 * each (as text) and how it becomes a MongoDB value again for the keyset query.
 */
enum SortField {

	NAME("name", ProductResponse::name, (text) -> text),

	PRICE("price", (product) -> text(product.price()), (text) -> new Decimal128(new BigDecimal(text))),

	STOCK("stock", (product) -> String.valueOf(product.stock()), Integer::valueOf),

	CREATED_AT("createdAt", (product) -> text(product.createdAt()), (text) -> Date.from(Instant.parse(text))),

	UPDATED_AT("updatedAt", (product) -> text(product.updatedAt()), (text) -> Date.from(Instant.parse(text)));

	private final String field;

	private final Function<ProductResponse, String> value;

	private final Function<String, Object> stored;

	SortField(String field, Function<ProductResponse, String> value, Function<String, Object> stored) {
		this.field = field;
		this.value = value;
		this.stored = stored;
	}

	static SortField named(String field) {
		for (SortField candidate : values()) {
			if (candidate.field.equals(field)) {
				return candidate;
			}
		}
		throw new IllegalArgumentException("Not a sort field: " + field);
	}

	String field() {
		return this.field;
	}

	/**
	 * The product's value of this field as a cursor carries it; null when it has none.
	 */
	String valueOf(ProductResponse product) {
		return this.value.apply(product);
	}

	/**
	 * The value as MongoDB stores it.
	 * @throws RuntimeException if the text is not a value of this field
	 */
	Object stored(String text) {
		return (text != null) ? this.stored.apply(text) : null;
	}

	private static String text(Object value) {
		return (value != null) ? value.toString() : null;
	}

}
