package io.productstore.product;

import java.math.BigDecimal;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.hibernate.validator.constraints.URL;

/**
 * The writable fields of a product, as sent on create, replace and (after merging) patch;
 * text is trimmed and omitted optional fields take their documented defaults.
 */
@Schema(name = "ProductRequest", description = "Writable fields of a product")
record ProductRequest(@Schema(example = "Espresso machine") @NotBlank @Size(max = 200) String name,
		@Schema(example = "15-bar pump, steam wand") @Size(max = 10_000) String description,
		@Schema(example = "kitchen") @NotBlank @Size(max = 100) String category,
		@Schema(example = "249.90", type = "number") @NotNull @DecimalMin("0") @Digits(integer = 13,
				fraction = 2) BigDecimal price,
		@Schema(example = "USD", defaultValue = "USD") @IsoCurrency String currency,
		@Schema(example = "12", defaultValue = "0") @Min(0) Integer stock,
		@Schema(example = "[\"coffee\", \"appliance\"]") @Size(
				max = 20) List<@NotNull @Size(min = 1, max = 50) String> tags,
		@Schema(example = "[\"https://images.example.com/espresso.jpg\"]") @Size(
				max = 10) List<@NotNull @URL(regexp = "(?i)^https?://.+") String> images,
		@Schema(defaultValue = "true") Boolean active, @Schema(defaultValue = "false") Boolean wishlisted) {

	static final String DEFAULT_CURRENCY = "USD";

	ProductRequest {
		name = trim(name);
		category = trim(category);
		currency = (currency != null) ? currency.trim() : DEFAULT_CURRENCY;
		stock = (stock != null) ? stock : 0;
		tags = (tags != null) ? tags.stream().map(ProductRequest::trim).toList() : List.of();
		images = (images != null) ? images.stream().map(ProductRequest::trim).toList() : List.of();
		active = (active != null) ? active : Boolean.TRUE;
		wishlisted = (wishlisted != null) ? wishlisted : Boolean.FALSE;
		price = normalise(price);
	}

	/** The writable fields of a stored product, the base a merge patch applies to. */
	static ProductRequest from(ProductResponse product) {
		return new ProductRequest(product.name(), product.description(), product.category(), product.price(),
				product.currency(), product.stock(), product.tags(), product.images(), product.active(),
				product.wishlisted());
	}

	/** 249.900 has two decimals and 1E+2 is 100: store and show them that way. */
	private static BigDecimal normalise(BigDecimal price) {
		if (price == null) {
			return null;
		}
		BigDecimal result = (price.scale() > 2) ? price.stripTrailingZeros() : price;
		return (result.scale() < 0) ? result.setScale(0) : result;
	}

	private static String trim(String text) {
		return (text != null) ? text.trim() : null;
	}

}
