package io.productstore.product;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The members a client asked for with {@code fields=} (sparse fieldsets): always
 * {@code id}, in the order of {@link ProductResponse}, whatever the order or repetitions
 * of the request, so that one selection has one spelling in entity tags.
 *
 * @param names the selected members, in {@link ProductResponse} order
 */
record FieldSelection(List<String> names) {

	static final String PARAMETER = "fields";

	/** Every member of a product, from the record itself, so none is ever forgotten. */
	static final List<String> KNOWN = Arrays.stream(ProductResponse.class.getRecordComponents())
		.map(RecordComponent::getName)
		.toList();

	private static final int MAX_QUOTED = 64;

	/**
	 * The selection of a {@code fields} parameter.
	 * @param parameter comma-separated member names; null when absent
	 * @return the selection; null for all members
	 * @throws InvalidParameterException 400 for an empty or unknown name
	 */
	static FieldSelection parse(String parameter) {
		if (parameter == null) {
			return null;
		}
		Set<String> requested = new LinkedHashSet<>();
		for (String name : parameter.split(",", -1)) {
			String trimmed = name.trim();
			if (!KNOWN.contains(trimmed)) {
				throw new InvalidParameterException(PARAMETER, trimmed.isEmpty() ? "must not contain an empty name"
						: "has an unknown field '" + quoted(trimmed) + "'; fields are " + String.join(", ", KNOWN));
			}
			requested.add(trimmed);
		}
		requested.add("id");
		return new FieldSelection(KNOWN.stream().filter(requested::contains).toList());
	}

	/**
	 * How the selection marks entity tags: the same resource with other members is
	 * another representation, with another tag.
	 */
	String tag() {
		return String.join("+", this.names);
	}

	/** A hostile name may be long: the problem quotes its start only. */
	private static String quoted(String name) {
		return (name.length() <= MAX_QUOTED) ? name : name.substring(0, MAX_QUOTED) + "...";
	}

}
