package io.productstore.product;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.web.ErrorResponseException;

/**
 * A MongoDB ObjectId written as 24 hexadecimal characters, checked by hand where the
 * controller reads it: Bean Validation of a path variable (a method validation per
 * request) cost a tenth of a cached read (docs/benchmarks.md, "Hot path"). A malformed id
 * answers the same problem as a field that fails validation.
 */
final class ProductId {

	static final String MESSAGE = "must be a product id of 24 hexadecimal characters";

	private static final int LENGTH = 24;

	private ProductId() {
	}

	/**
	 * The id in its one spelling, lower case, so that there is one cache entry per
	 * product.
	 * @param id the id as requested
	 * @return the normalised id
	 * @throws ErrorResponseException 400 if it is not 24 hexadecimal characters
	 */
	static String checked(String id) {
		String normalised = normalised(id);
		if (normalised == null) {
			throw malformed();
		}
		return normalised;
	}

	/**
	 * The id in its one spelling, or {@code null} if it is not 24 hexadecimal characters.
	 * @param id the id as requested
	 * @return the normalised id, or {@code null}
	 */
	static @Nullable String normalised(String id) {
		if (id.length() != LENGTH) {
			return null;
		}
		for (int i = 0; i < LENGTH; i++) {
			if (!hexadecimal(id.charAt(i))) {
				return null;
			}
		}
		return id.toLowerCase(Locale.ROOT);
	}

	// ASCII only: Character.digit would accept other scripts' digits.
	private static boolean hexadecimal(char c) {
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	}

	private static ErrorResponseException malformed() {
		return new InvalidParameterException("id", MESSAGE);
	}

}
