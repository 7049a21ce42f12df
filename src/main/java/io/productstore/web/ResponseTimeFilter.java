package io.productstore.web;

import java.util.Locale;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Adds {@code X-Response-Time: <millis>ms} to every response, measured from the entry of
 * this filter (the first of the chain, ahead of Spring Security) to the commit of the
 * response headers.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class ResponseTimeFilter implements WebFilter {

	static final String HEADER = "X-Response-Time";

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		long start = System.nanoTime();
		exchange.getResponse().beforeCommit(() -> {
			double millis = (System.nanoTime() - start) / 1_000_000.0;
			exchange.getResponse().getHeaders().set(HEADER, String.format(Locale.ROOT, "%.3fms", millis));
			return Mono.empty();
		});
		return chain.filter(exchange);
	}

}
