package io.productstore.product;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A product as the API shows it, and as the cache stores it.
 */
@Schema(name = "Product")
public record ProductResponse(@Schema(example = "665f1c2ab4e0c81f6a3d9e21") String id,
		@Schema(example = "Espresso machine") String name, String description,
		@Schema(example = "kitchen") String category, @Schema(example = "249.90", type = "number") BigDecimal price,
		@Schema(example = "USD") String currency, int stock, List<String> tags, List<String> images, boolean active,
		boolean wishlisted, @Schema(example = "3") long version, Instant createdAt, Instant updatedAt) {

	static ProductResponse from(Product product) {
		return new ProductResponse(product.id(), product.name(), product.description(), product.category(),
				product.price(), product.currency(), product.stock(), product.tags(), product.images(),
				product.active(), product.wishlisted(), (product.version() != null) ? product.version() : 0,
				product.createdAt(), product.updatedAt());
	}

	/** The strong entity tag of this version, as sent in {@code ETag}. */
	String etag() {
		return "\"" + this.version + "\"";
	}

	/**
	 * The strong entity tag of this version cut down to a selection of fields: another
	 * representation, so another tag (and not one {@code If-Match} accepts).
	 */
	String etag(FieldSelection selection) {
		return "\"" + this.version + ";" + selection.tag() + "\"";
	}

}
