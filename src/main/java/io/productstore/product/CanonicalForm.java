package io.productstore.product;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/**
 * Builds {@code name=value&...} text from parameters added in a fixed order, each value
 * URL-encoded so that no value can imitate a separator.
 */
final class CanonicalForm {

	private final StringJoiner joiner = new StringJoiner("&");

	CanonicalForm add(String name, Object value) {
		if (value != null) {
			this.joiner.add(name + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
		}
		return this;
	}

	CanonicalForm addEach(String name, Iterable<?> values) {
		values.forEach((value) -> add(name, value));
		return this;
	}

	@Override
	public String toString() {
		return this.joiner.toString();
	}

}
