package io.productstore.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import org.springframework.context.MessageSourceResolvable;
import org.springframework.validation.Errors;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.validation.method.MethodValidationResult;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;

/**
 * Turns the validation results of Spring and Bean Validation into {@link InvalidField}
 * entries, named by JSON property path; public for validators of bodies that are not one
 * JSON document (the lines of an NDJSON import).
 */
public final class ValidationErrors {

	private static final Comparator<InvalidField> ORDER = Comparator.comparing(InvalidField::field)
		.thenComparing(InvalidField::message);

	private ValidationErrors() {
	}

	static List<InvalidField> of(Errors errors) {
		List<InvalidField> fields = new ArrayList<>();
		for (ObjectError error : errors.getAllErrors()) {
			String field = (error instanceof FieldError fieldError) ? fieldError.getField() : error.getObjectName();
			fields.add(new InvalidField(field, message(error)));
		}
		fields.sort(ORDER);
		return fields;
	}

	static List<InvalidField> of(MethodValidationResult result) {
		List<InvalidField> fields = new ArrayList<>();
		for (ParameterValidationResult parameterResult : result.getParameterValidationResults()) {
			if (parameterResult instanceof ParameterErrors errors) {
				fields.addAll(of(errors));
				continue;
			}
			String field = parameterResult.getMethodParameter().getParameterName();
			if (parameterResult.getContainerIndex() != null) {
				field += "[" + parameterResult.getContainerIndex() + "]";
			}
			else if (parameterResult.getContainerKey() != null) {
				field += "[" + parameterResult.getContainerKey() + "]";
			}
			for (MessageSourceResolvable error : parameterResult.getResolvableErrors()) {
				fields.add(new InvalidField(field, message(error)));
			}
		}
		fields.sort(ORDER);
		return fields;
	}

	/**
	 * The invalid fields of Bean Validation violations, ordered by field and message.
	 * @param violations the violations
	 * @return the invalid fields
	 */
	public static List<InvalidField> of(Collection<? extends ConstraintViolation<?>> violations) {
		List<InvalidField> fields = new ArrayList<>();
		for (ConstraintViolation<?> violation : violations) {
			fields.add(new InvalidField(path(violation.getPropertyPath()), violation.getMessage()));
		}
		fields.sort(ORDER);
		return fields;
	}

	/**
	 * The detail sentence of a validation problem.
	 * @param errors the invalid fields
	 * @return "1 field is invalid", "3 fields are invalid"
	 */
	public static String detail(List<InvalidField> errors) {
		return (errors.size() == 1) ? "1 field is invalid" : errors.size() + " fields are invalid";
	}

	/**
	 * Render a Bean Validation path without its method and parameter nodes, so that
	 * {@code create.request.tags[2].<list element>} becomes {@code tags[2]}.
	 */
	private static String path(Path path) {
		StringBuilder property = new StringBuilder();
		String parameter = null;
		for (Path.Node node : path) {
			if (node.isInIterable()) {
				Object key = (node.getIndex() != null) ? node.getIndex() : node.getKey();
				if (key != null) {
					property.append('[').append(key).append(']');
				}
			}
			if (node.getKind() == ElementKind.PARAMETER) {
				parameter = node.getName();
			}
			else if ((node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.BEAN)
					&& node.getName() != null) {
				property.append(property.isEmpty() ? "" : ".").append(node.getName());
			}
		}
		if (property.isEmpty()) {
			return (parameter != null) ? parameter : path.toString();
		}
		return (property.charAt(0) == '[' && parameter != null) ? parameter + property : property.toString();
	}

	private static String message(MessageSourceResolvable error) {
		return (error.getDefaultMessage() != null) ? error.getDefaultMessage() : "is invalid";
	}

}
