package io.productstore.web;

import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.web.server.ServerWebInputException;

/**
 * Explains why a request body or parameter could not be read, in words a client can act
 * on and without echoing exception classes or stack traces; public for the readers of
 * bodies that are not one JSON document (the lines of an NDJSON import).
 */
public final class BodyReadErrors {

	private BodyReadErrors() {
	}

	static Explanation explain(ServerWebInputException ex) {
		JacksonException jackson = find(ex, JacksonException.class);
		if (jackson != null) {
			return explain(jackson);
		}
		TypeMismatchException mismatch = find(ex, TypeMismatchException.class);
		if (mismatch != null) {
			MethodParameter parameter = ex.getMethodParameter();
			String name = (parameter != null && parameter.getParameterName() != null) ? parameter.getParameterName()
					: mismatch.getPropertyName();
			String expected = "must be " + expectedType(mismatch.getRequiredType());
			return new Explanation(ProblemTypes.forStatus(ex.getStatusCode()),
					"Invalid value for '" + name + "': " + expected, List.of(new InvalidField(name, expected)));
		}
		return null;
	}

	/**
	 * Explains why a JSON document could not be read as the expected type.
	 * @param jackson what Jackson reported
	 * @return the explanation
	 */
	public static Explanation explain(JacksonException jackson) {
		if (jackson instanceof PropertyBindingException unknown) {
			String field = path(unknown);
			return new Explanation(ProblemTypes.MALFORMED_BODY, "Unknown field '" + field + "'",
					List.of(new InvalidField(field, "is not a known field")));
		}
		if (jackson instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
			String field = path(mismatch);
			String expected = "must be " + expectedType(mismatch.getTargetType());
			return new Explanation(ProblemTypes.MALFORMED_BODY, "Invalid value for field '" + field + "': " + expected,
					List.of(new InvalidField(field, expected)));
		}
		if (jackson instanceof MismatchedInputException) {
			return new Explanation(ProblemTypes.MALFORMED_BODY,
					"The request body does not have the expected JSON structure", List.of());
		}
		return new Explanation(ProblemTypes.MALFORMED_BODY, "Malformed JSON" + location(jackson), List.of());
	}

	private static String path(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
			else if (reference.getPropertyName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
		}
		return path.toString();
	}

	private static String location(JacksonException ex) {
		TokenStreamLocation location = ex.getLocation();
		if (location == null || location.getLineNr() < 1) {
			return "";
		}
		return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
	}

	private static String expectedType(Class<?> type) {
		if (type == null) {
			return "a valid value";
		}
		if (Number.class.isAssignableFrom(type)
				|| (type.isPrimitive() && type != boolean.class && type != char.class)) {
			return "a number";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
			return "a string";
		}
		if (type.isArray() || Collection.class.isAssignableFrom(type)) {
			return "an array";
		}
		if (Map.class.isAssignableFrom(type) || type.isRecord()) {
			return "an object";
		}
		return "a valid value";
	}

	private static <T extends Throwable> T find(Throwable ex, Class<T> type) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

	/**
	 * What went wrong, as a problem type, a detail sentence and the offending fields.
	 *
	 * @param type the problem type
	 * @param detail the detail sentence
	 * @param errors the offending fields, possibly empty
	 */
	public record Explanation(URI type, String detail, List<InvalidField> errors) {
	}

}
