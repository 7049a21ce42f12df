package io.productstore.security;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link OneFirewalledRequest}.
 */
class OneFirewalledRequestTests {

	private final StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();

	@Test
	void handsOnOneRequestForEveryCall() {
		ServerWebExchange passed = filtered(
				MockServerHttpRequest.get("/api/products/1").header("If-None-Match", "\"1\""));
		assertThat(passed.getRequest()).isSameAs(passed.getRequest());
		assertThat(passed.getRequest().getHeaders().getFirst("If-None-Match")).isEqualTo("\"1\"");
	}

	@Test
	void keepsTheFirewallsChecksOfWhatIsReadThroughIt() {
		ServerWebExchange passed = filtered(
				MockServerHttpRequest.get("/api/products/1").header("If-None-Match", "\"a\u0085b\""));
		assertThat(passed.getRequest().getClass().getName()).contains("StrictFirewall");
		assertThatExceptionOfType(ServerExchangeRejectedException.class)
			.isThrownBy(() -> passed.getRequest().getHeaders().getFirst("If-None-Match"));
	}

	private ServerWebExchange filtered(MockServerHttpRequest.BaseBuilder<?> request) {
		ServerWebExchange firewalled = this.firewall.getFirewalledExchange(MockServerWebExchange.from(request)).block();
		AtomicReference<ServerWebExchange> passed = new AtomicReference<>();
		new OneFirewalledRequest().filter(firewalled, (exchange) -> {
			passed.set(exchange);
			return Mono.empty();
		}).block();
		return passed.get();
	}

}
