package io.productstore.web;

import java.util.UUID;
import java.util.regex.Pattern;

import io.micrometer.context.ContextRegistry;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Gives every request a correlation id: the caller's {@code X-Request-Id} when it is a
 * safe token, else a new UUID; echoed on the response and set as {@code requestId} in the
 * logging MDC of every log line written while handling the request.
 * <p>
 * The id travels in the Reactor context; with automatic context propagation
 * ({@code spring.reactor.context-propagation=auto}) the accessor registered here copies
 * it into the MDC of whichever thread runs the request's operators.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestIdFilter implements WebFilter {

	static final String HEADER = "X-Request-Id";

	static final String MDC_KEY = "requestId";

	// Ids end up in logs and response headers: no spaces, quotes or line breaks.
	private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	RequestIdFilter() {
		ContextRegistry.getInstance()
			.registerThreadLocalAccessor(MDC_KEY, () -> MDC.get(MDC_KEY), (id) -> MDC.put(MDC_KEY, id),
					() -> MDC.remove(MDC_KEY));
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String id = requestId(exchange.getRequest().getHeaders().getFirst(HEADER));
		exchange.getResponse().beforeCommit(() -> {
			exchange.getResponse().getHeaders().set(HEADER, id);
			return Mono.empty();
		});
		return chain.filter(exchange).contextWrite((context) -> context.put(MDC_KEY, id));
	}

	static String requestId(String given) {
		return (given != null && SAFE_ID.matcher(given).matches()) ? given : UUID.randomUUID().toString();
	}

}
