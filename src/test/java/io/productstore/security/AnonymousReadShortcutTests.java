package io.productstore.security;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.MatcherSecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AnonymousReadShortcut}, with Spring Security's own proxy, chains and
 * firewall, and filters that record that they ran.
 */
class AnonymousReadShortcutTests {

	private final List<String> ran = new CopyOnWriteArrayList<>();

	private final List<ServerWebExchange> refused = new CopyOnWriteArrayList<>();

	private final WebFilterChainProxy proxy = new WebFilterChainProxy(List
		.of(new MatcherSecurityWebFilterChain(ServerWebExchangeMatchers.anyExchange(), List.of(record("proxied")))));

	private final ServerExchangeRejectedHandler rejected = (exchange, rejection) -> {
		this.refused.add(exchange);
		exchange.getResponse().setStatusCode(HttpStatus.BAD_REQUEST);
		return Mono.empty();
	};

	private final AnonymousReadShortcut shortcut = shortcut(List.of(record("first"), record("second")));

	@Test
	void takesAnAnonymousReadThroughItsChainsFiltersInOrderThenOn() {
		filter(MockServerHttpRequest.get("/api/products/abc"));
		assertThat(this.ran).containsExactly("first", "second", "handler");
		assertThat(this.refused).isEmpty();
	}

	@Test
	void leavesEveryOtherRequestToTheProxy() {
		filter(MockServerHttpRequest.post("/api/products"));
		filter(MockServerHttpRequest.get("/api/products/abc").header(HttpHeaders.AUTHORIZATION, "Basic dXNlcjp1c2Vy"));
		filter(MockServerHttpRequest.get("/actuator/health"));
		assertThat(this.ran).containsExactly("proxied", "handler", "proxied", "handler", "proxied", "handler");
	}

	@Test
	void refusesWhatTheFirewallRefusesBeforeAnyFilterRuns() {
		MockServerWebExchange exchange = filter(MockServerHttpRequest.get("/api/products/a%2Fb"));
		assertThat(this.ran).isEmpty();
		assertThat(this.refused).containsExactly(exchange);
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
	}

	@Test
	void handsTheFiltersTheFirewalledRequest() {
		List<ServerWebExchange> seen = new CopyOnWriteArrayList<>();
		AnonymousReadShortcut shortcut = shortcut(List.of((exchange, chain) -> {
			seen.add(exchange);
			return chain.filter(exchange);
		}));
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/products/abc"));
		shortcut.filter(exchange, (passed) -> Mono.empty()).block();
		assertThat(seen).singleElement().isNotSameAs(exchange);
	}

	@Test
	void keepsTheProxyForAnybodyWhoLooksItUp() {
		assertThat(this.shortcut).isInstanceOf(WebFilterChainProxy.class);
		assertThat(this.shortcut.proxy()).isSameAs(this.proxy);
	}

	private AnonymousReadShortcut shortcut(List<WebFilter> anonymousReadFilters) {
		return new AnonymousReadShortcut(this.proxy, new AnonymousProductRead("/api/products/**"), anonymousReadFilters,
				new StrictServerWebExchangeFirewall(), this.rejected);
	}

	private MockServerWebExchange filter(MockServerHttpRequest.BaseBuilder<?> request) {
		MockServerWebExchange exchange = MockServerWebExchange.from(request);
		WebFilterChain handler = (passed) -> {
			this.ran.add("handler");
			return Mono.empty();
		};
		this.shortcut.filter(exchange, handler).block();
		return exchange;
	}

	private WebFilter record(String name) {
		return (exchange, chain) -> {
			this.ran.add(name);
			return chain.filter(exchange);
		};
	}

}
