package io.productstore.idempotency;

import java.net.URI;
import java.time.Duration;

import io.productstore.web.ProblemTypes;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A keyed request that is not performed: a malformed key (400), a key whose first request
 * is still running (409) or that was used with another body (422), or Redis unreachable
 * (503): each a problem with its own type.
 */
public final class IdempotencyRefusedException extends ErrorResponseException {

	static final URI MALFORMED_KEY = URI.create(ProblemTypes.BASE + "idempotency-key-malformed");

	static final URI IN_PROGRESS = URI.create(ProblemTypes.BASE + "idempotency-key-in-use");

	static final URI KEY_REUSED = URI.create(ProblemTypes.BASE + "idempotency-key-reused");

	static final URI UNAVAILABLE = URI.create(ProblemTypes.BASE + "idempotency-unavailable");

	private IdempotencyRefusedException(HttpStatus status, URI type, String detail, Duration retryAfter) {
		super(status, problem(status, type, detail), null);
		if (retryAfter != null) {
			getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
		}
	}

	static IdempotencyRefusedException malformedKey() {
		return new IdempotencyRefusedException(HttpStatus.BAD_REQUEST, MALFORMED_KEY, "The " + IdempotencyKey.HEADER
				+ " header must be 1 to " + IdempotencyKey.MAX_LENGTH + " visible ASCII characters", null);
	}

	static IdempotencyRefusedException inProgress(Duration retryAfter) {
		return new IdempotencyRefusedException(HttpStatus.CONFLICT, IN_PROGRESS, "A request with this "
				+ IdempotencyKey.HEADER + " is still being processed; retry later to get its response", retryAfter);
	}

	static IdempotencyRefusedException keyReused() {
		return new IdempotencyRefusedException(HttpStatus.UNPROCESSABLE_CONTENT, KEY_REUSED,
				"This " + IdempotencyKey.HEADER + " was used with a different request; use a new key for a new request",
				null);
	}

	static IdempotencyRefusedException unavailable(Duration retryAfter) {
		return new IdempotencyRefusedException(HttpStatus.SERVICE_UNAVAILABLE, UNAVAILABLE, "Requests with an "
				+ IdempotencyKey.HEADER + " cannot be checked for repeats right now; nothing was changed, retry later",
				retryAfter);
	}

	private static ProblemDetail problem(HttpStatus status, URI type, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		return problem;
	}

}
