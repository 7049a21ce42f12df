package io.productstore.product;

import java.util.List;

/**
 * Compares request preconditions with a product's strong entity tag {@code "<version>"}
 * (RFC 9110: strong comparison for {@code If-Match}, weak for {@code If-None-Match}).
 */
final class EntityTags {

	private EntityTags() {
	}

	/**
	 * Whether an {@code If-Match} list (empty when absent) allows a write to this
	 * version.
	 */
	static boolean ifMatchAllows(List<String> ifMatch, long version) {
		String current = tag(version);
		return ifMatch.isEmpty() || ifMatch.stream().anyMatch((tag) -> tag.equals("*") || tag.equals(current));
	}

	/** Whether an {@code If-None-Match} list names this version, so a 304 answers. */
	static boolean ifNoneMatchHits(List<String> ifNoneMatch, long version) {
		String current = tag(version);
		return ifNoneMatch.stream().anyMatch((tag) -> tag.equals("*") || weak(tag).equals(current));
	}

	static String tag(long version) {
		return "\"" + version + "\"";
	}

	private static String weak(String tag) {
		return tag.startsWith("W/") ? tag.substring(2) : tag;
	}

}
