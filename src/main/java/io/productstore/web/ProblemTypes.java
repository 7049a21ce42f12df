package io.productstore.web;

import java.net.URI;
import java.util.Locale;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.server.ServerWebExchange;

/**
 * The problem {@code type} URIs of this service: one stable URI per kind of error under
 * {@value #BASE}, by default derived from the status ({@code .../not-found}).
 */
public final class ProblemTypes {

	/**
	 * Common prefix of every problem type.
	 */
	public static final String BASE = "https://productstore.example/problems/";

	/**
	 * Request fields that break the rules; the problem carries an {@code errors} array.
	 */
	public static final URI VALIDATION = URI.create(BASE + "validation");

	/**
	 * A body that cannot be read: malformed JSON, wrong types or unknown fields.
	 */
	public static final URI MALFORMED_BODY = URI.create(BASE + "malformed-body");

	/**
	 * A concurrent update lost the optimistic-lock race.
	 */
	public static final URI CONCURRENT_UPDATE = URI.create(BASE + "concurrent-update");

	private static final URI ABOUT_BLANK = URI.create("about:blank");

	private ProblemTypes() {
	}

	/**
	 * Return the default type of a status, such as {@code .../not-found} for 404.
	 * @param status the HTTP status
	 * @return the problem type URI
	 */
	public static URI forStatus(HttpStatusCode status) {
		HttpStatus known = HttpStatus.resolve(status.value());
		String slug = (known != null) ? known.getReasonPhrase().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
				: "status-" + status.value();
		return URI.create(BASE + slug);
	}

	/**
	 * Fill in what a problem leaves open: a status-derived {@code type} instead of
	 * {@code about:blank} and the request path as {@code instance}.
	 * @param problem the problem to complete
	 * @param exchange the current exchange
	 * @return the same problem
	 */
	static ProblemDetail complete(ProblemDetail problem, ServerWebExchange exchange) {
		if (problem.getType() == null || ABOUT_BLANK.equals(problem.getType())) {
			problem.setType(forStatus(HttpStatusCode.valueOf(problem.getStatus())));
		}
		if (problem.getInstance() == null) {
			problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
		}
		return problem;
	}

}
