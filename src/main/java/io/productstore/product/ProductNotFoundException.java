package io.productstore.product;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * No product has the requested id.
 */
class ProductNotFoundException extends ErrorResponseException {

	ProductNotFoundException(String id) {
		super(HttpStatus.NOT_FOUND, problem(id), null);
	}

	private static ProblemDetail problem(String id) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
				"No product with id '" + id + "'");
		problem.setTitle("Product not found");
		return problem;
	}

}
