package io.productstore.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The answer to a request that Spring Security's firewall refuses: a URL that is not
 * normalised or holds an encoded slash, backslash, percent or null ({@code %2F},
 * {@code %5C}, {@code %25}, {@code %00}), or a header or parameter value with a control
 * character, read through the firewalled request. Bad input, so 400 problem details, and
 * never a 500 when a handler reads such a header. The detail names nothing of the
 * request: what the firewall refuses is often an attack, and its message echoes the
 * value.
 */
public final class RejectedRequests {

	static final String DETAIL = "The request was rejected: its URL, or a header or parameter value, holds characters "
			+ "or sequences this service refuses (such as an encoded slash, \"..\" or a control character)";

	private RejectedRequests() {
	}

	/**
	 * The problem to answer with.
	 * @return a new 400 problem
	 */
	public static ProblemDetail problem() {
		return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, DETAIL);
	}

}
