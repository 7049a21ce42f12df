package io.productstore.web;

import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses with 400 a request whose query has a parameter name that is not a plain name
 * ({@code category[$ne]}, {@code price[gt]}, {@code a.b}): data binding would read such a
 * name as a property path, and either fail with a 500 or silently ignore a filter the
 * caller thinks is applied. Unknown plain names ({@code utm_source}) pass, as the
 * contract allows.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class QueryParameterNameFilter extends NamedWebFilter {

	private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

	private final ProblemResponseWriter problems;

	QueryParameterNameFilter(ProblemResponseWriter problems) {
		this.problems = problems;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (exchange.getRequest().getURI().getRawQuery() == null) {
			return chain.filter(exchange);
		}
		for (String name : exchange.getRequest().getQueryParams().keySet()) {
			if (!PLAIN_NAME.matcher(name).matches()) {
				ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
						"Query parameter names are plain names such as category or minPrice; '" + shorten(name)
								+ "' is not one");
				problem.setTitle("Malformed query parameter");
				return this.problems.write(exchange, problem);
			}
		}
		return chain.filter(exchange);
	}

	/** A hostile name may be long: the problem quotes its start only. */
	private static String shorten(String name) {
		return (name.length() <= 64) ? name : name.substring(0, 64) + "...";
	}

}
