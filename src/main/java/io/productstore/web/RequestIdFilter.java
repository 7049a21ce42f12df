package io.productstore.web;

import java.util.UUID;
import java.util.regex.Pattern;

import io.productstore.logging.RequestLogging;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Gives every request a correlation id: the caller's {@code X-Request-Id} when it is a
 * safe token, else a new UUID; echoed on the response and carried, as the Reactor context
 * entry and exchange attribute {@link RequestLogging#KEY}, to the statements that log
 * while handling the request, which put it into the logging MDC ({@link RequestLogging}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestIdFilter implements WebFilter {

	static final String HEADER = "X-Request-Id";

	// Ids end up in logs and response headers: no spaces, quotes or line breaks.
	private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String id = requestId(exchange.getRequest().getHeaders().getFirst(HEADER));
		exchange.getAttributes().put(RequestLogging.KEY, id);
		// Set now, not before commit: a header written up front costs no callback.
		exchange.getResponse().getHeaders().set(HEADER, id);
		return chain.filter(exchange).contextWrite((context) -> context.put(RequestLogging.KEY, id));
	}

	static String requestId(String given) {
		return (given != null && SAFE_ID.matcher(given).matches()) ? given : UUID.randomUUID().toString();
	}

}
