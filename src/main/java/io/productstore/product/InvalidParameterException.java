package io.productstore.product;

import java.util.List;

import io.productstore.web.InvalidField;
import io.productstore.web.ProblemTypes;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A request parameter checked by hand (an id, a cursor, a field list) is invalid: the
 * same 400 problem as a field that fails Bean Validation, with one entry in
 * {@code errors}.
 */
class InvalidParameterException extends ErrorResponseException {

	InvalidParameterException(String parameter, String message) {
		super(HttpStatus.BAD_REQUEST, problem(parameter, message), null);
	}

	private static ProblemDetail problem(String parameter, String message) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "1 field is invalid");
		problem.setType(ProblemTypes.VALIDATION);
		problem.setTitle("Validation failed");
		problem.setProperty("errors", List.of(new InvalidField(parameter, message)));
		return problem;
	}

}
