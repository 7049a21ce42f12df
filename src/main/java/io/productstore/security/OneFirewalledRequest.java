package io.productstore.security;

import io.productstore.web.NamedWebFilter;
import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;
import org.springframework.web.server.WebFilterChain;

/**
 * Hands the rest of the request's way one firewalled request instead of a new one per
 * call. Spring Security's {@code StrictServerWebExchangeFirewall} wraps the request anew
 * on every {@code exchange.getRequest()}, and a request's way to its handler asks about a
 * hundred times (each request mapping's conditions ask, for one), so a cached read
 * allocated a few kilobytes of wrappers (docs/benchmarks.md, "Hot path"). The wrapper
 * still checks every header and parameter read through it: nothing is checked less.
 */
final class OneFirewalledRequest extends NamedWebFilter {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return chain.filter(new SameRequest(exchange));
	}

	private static final class SameRequest extends ServerWebExchangeDecorator {

		private final ServerHttpRequest request;

		private SameRequest(ServerWebExchange firewalled) {
			super(firewalled);
			this.request = firewalled.getRequest();
		}

		@Override
		public ServerHttpRequest getRequest() {
			return this.request;
		}

	}

}
