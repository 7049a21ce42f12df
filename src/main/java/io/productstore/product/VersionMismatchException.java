package io.productstore.product;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The {@code If-Match} precondition names a version other than the stored one.
 */
class VersionMismatchException extends ErrorResponseException {

	VersionMismatchException(List<String> ifMatch, long currentVersion) {
		super(HttpStatus.PRECONDITION_FAILED, problem(ifMatch, currentVersion), null);
	}

	private static ProblemDetail problem(List<String> ifMatch, long currentVersion) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.PRECONDITION_FAILED, "If-Match "
				+ String.join(", ", ifMatch) + " does not match the current ETag " + EntityTags.tag(currentVersion));
		problem.setTitle("Precondition failed");
		return problem;
	}

}
