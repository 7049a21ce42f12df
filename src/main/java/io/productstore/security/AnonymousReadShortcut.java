package io.productstore.security;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Spring Security's filter chain proxy with a shortcut to the chain of anonymous product
 * reads. The proxy picks a request's chain anew on every request: it asks each chain's
 * matcher through {@code Flux.fromIterable(chains).filterWhen(...).next()}, then collects
 * the chosen chain's filters into a new list, a dozen operators and their subscribers per
 * request before the first security filter runs (9 % of a near-cache read's throughput,
 * docs/benchmarks.md, "Hot path"). An anonymous read, the bulk of the traffic, is known
 * by a test that waits for nothing
 * ({@link AnonymousProductRead#matches(ServerHttpRequest)}), and its chain's filters,
 * built by Spring Security's DSL, never change: it goes through the same firewall, the
 * same rejection handler and the same filters, in the same order, as through the proxy,
 * but for those that have nothing to hand on to a stateless read
 * ({@link StatelessReadFilters}). Every other request goes to the proxy itself.
 * <p>
 * It extends the proxy, whose place it takes, so that whoever looks the proxy up by its
 * type finds it; none of the proxy's own state is used.
 */
final class AnonymousReadShortcut extends WebFilterChainProxy {

	private final WebFilterChainProxy proxy;

	private final AnonymousProductRead anonymousRead;

	private final List<WebFilter> anonymousReadFilters;

	private final ServerWebExchangeFirewall firewall;

	private final ServerExchangeRejectedHandler rejected;

	// The proxy's decorator: the filters run one after the other, without a checkpoint
	// each.
	private final UncheckpointedSecurityFilters decorator = new UncheckpointedSecurityFilters();

	/**
	 * The shortcut in front of a proxy.
	 * @param proxy the proxy, for every request but anonymous reads
	 * @param anonymousRead the matcher of the anonymous reads' chain
	 * @param anonymousReadFilters that chain's filters
	 * @param firewall the proxy's firewall
	 * @param rejected the proxy's handler of the requests its firewall refuses
	 */
	AnonymousReadShortcut(WebFilterChainProxy proxy, AnonymousProductRead anonymousRead,
			List<WebFilter> anonymousReadFilters, ServerWebExchangeFirewall firewall,
			ServerExchangeRejectedHandler rejected) {
		super(List.of());
		this.proxy = proxy;
		this.anonymousRead = anonymousRead;
		this.anonymousReadFilters = List.copyOf(anonymousReadFilters);
		this.firewall = firewall;
		this.rejected = rejected;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!this.anonymousRead.matches(exchange.getRequest())) {
			return this.proxy.filter(exchange, chain);
		}
		// As the proxy does it, with the chain known up front.
		return this.firewall.getFirewalledExchange(exchange)
			.flatMap((firewalled) -> this.decorator.decorate(chain, this.anonymousReadFilters).filter(firewalled))
			.onErrorResume(ServerExchangeRejectedException.class,
					(rejection) -> this.rejected.handle(exchange, rejection).then(Mono.empty()));
	}

	WebFilterChainProxy proxy() {
		return this.proxy;
	}

	List<WebFilter> anonymousReadFilters() {
		return this.anonymousReadFilters;
	}

}
