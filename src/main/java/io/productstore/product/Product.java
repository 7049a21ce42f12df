package io.productstore.product;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;
import org.springframework.data.mongodb.core.mapping.FieldType;

/**
 * A product as stored in MongoDB; the price is a Decimal128 so it is never rounded.
 */
@Document("products")
record Product(@Id String id, String name, String description, String category,
		@Field(targetType = FieldType.DECIMAL128) BigDecimal price, String currency, int stock, List<String> tags,
		List<String> images, boolean active, boolean wishlisted, @Version Long version, Instant createdAt,
		Instant updatedAt) {

	@PersistenceCreator
	Product {
		tags = (tags != null) ? List.copyOf(tags) : List.of();
		images = (images != null) ? List.copyOf(images) : List.of();
	}

	/** A new product from a validated request, before MongoDB assigns id and version. */
	static Product create(ProductRequest request, Instant now) {
		return new Product(null, request.name(), request.description(), request.category(), request.price(),
				request.currency(), request.stock(), request.tags(), request.images(), request.active(),
				request.wishlisted(), null, now, now);
	}

	/** This product with every writable field taken from the request. */
	Product replacedBy(ProductRequest request, Instant now) {
		return new Product(this.id, request.name(), request.description(), request.category(), request.price(),
				request.currency(), request.stock(), request.tags(), request.images(), request.active(),
				request.wishlisted(), this.version, this.createdAt, now);
	}

	/** Spring Data calls this wither to hand over the id MongoDB assigned on insert. */
	Product withId(String id) {
		return new Product(id, this.name, this.description, this.category, this.price, this.currency, this.stock,
				this.tags, this.images, this.active, this.wishlisted, this.version, this.createdAt, this.updatedAt);
	}

	/** Spring Data calls this wither to hand over the version it incremented on save. */
	Product withVersion(Long version) {
		return new Product(this.id, this.name, this.description, this.category, this.price, this.currency, this.stock,
				this.tags, this.images, this.active, this.wishlisted, version, this.createdAt, this.updatedAt);
	}

}
