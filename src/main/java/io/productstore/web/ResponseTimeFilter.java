package io.productstore.web;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

/**
 * Adds {@code X-Response-Time: <millis>ms} to every response, measured from the entry of
 * this filter (the first of the chain, ahead of Spring Security) to the commit of the
 * response headers.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class ResponseTimeFilter extends NamedWebFilter {

	static final String HEADER = "X-Response-Time";

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		long start = System.nanoTime();
		exchange.getResponse().beforeCommit(() -> {
			exchange.getResponse().getHeaders().set(HEADER, format(System.nanoTime() - start));
			return Mono.empty();
		});
		return chain.filter(exchange);
	}

	/**
	 * Milliseconds with three decimals, such as {@code 0.042ms}: by hand, since
	 * {@code String.format} cost a few per cent of a cached read.
	 * @param nanos the elapsed time
	 * @return the header value
	 */
	static String format(long nanos) {
		long micros = Math.max(0, nanos) / 1_000;
		long fraction = micros % 1_000;
		String padding = (fraction < 10) ? "00" : (fraction < 100) ? "0" : "";
		return (micros / 1_000) + "." + padding + fraction + "ms";
	}

}
