package io.productstore.security;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.security.web.server.WebFilterChainProxy.WebFilterChainDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Runs a security chain's filters one after the other, without a Reactor checkpoint
 * around each. Spring Security's default decorator hands them to Spring's
 * {@code DefaultWebFilterChain}, which wraps each filter's result in
 * {@code checkpoint(filter.toString())} on every request, and the name of a security
 * filter is an {@code OrderedWebFilter{webFilter=...@hash, order=...}} string built anew
 * each time: per filter and request an operator, its subscriber and a few hundred bytes
 * of strings (docs/benchmarks.md, "Hot path"). A checkpoint only adds the filter's name
 * to the assembly trace of an error, which still names the service's own filters.
 */
final class UncheckpointedSecurityFilters implements WebFilterChainDecorator {

	@Override
	public WebFilterChain decorate(WebFilterChain original) {
		return original;
	}

	@Override
	public WebFilterChain decorate(WebFilterChain original, List<WebFilter> filters) {
		return new Link(filters, 0, original);
	}

	/** The chain from one filter on: that filter, then the next link, then the rest. */
	private record Link(List<WebFilter> filters, int index, WebFilterChain rest) implements WebFilterChain {

		@Override
		public Mono<Void> filter(ServerWebExchange exchange) {
			// Deferred as Spring's chain does: a filter runs when the request
			// subscribes, and what it throws becomes an error signal.
			return Mono.defer(() -> (this.index < this.filters.size())
					? this.filters.get(this.index).filter(exchange, new Link(this.filters, this.index + 1, this.rest))
					: this.rest.filter(exchange));
		}

	}

}
