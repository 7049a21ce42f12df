package io.productstore.security;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link LineBreakCheckedFirewall}, next to the strict firewall it stands in
 * for.
 */
class LineBreakCheckedFirewallTests {

	private final LineBreakCheckedFirewall firewall = new LineBreakCheckedFirewall(
			new StrictServerWebExchangeFirewall());

	@Test
	void theStrictFirewallRegistersOneActionOnTheResponseAndItIsTheLineBreakCheck() {
		List<Supplier<? extends Mono<Void>>> registered = new ArrayList<>();
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/products"));
		ServerWebExchange counted = new ServerWebExchangeDecorator(exchange) {
			@Override
			public ServerHttpResponse getResponse() {
				return new ServerHttpResponseDecorator(super.getResponse()) {
					@Override
					public void beforeCommit(Supplier<? extends Mono<Void>> action) {
						registered.add(action);
						super.beforeCommit(action);
					}
				};
			}
		};
		new StrictServerWebExchangeFirewall().getFirewalledExchange(counted).block();
		assertThat(registered).hasSize(1);

		exchange.getResponse().getHeaders().set("X-Split", "a\r\nInjected: yes");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> exchange.getResponse().setComplete().block())
			.withMessage("Invalid characters (CR/LF) in header X-Split");
	}

	@Test
	void refusesALineBreakInAResponseHeaderValueOrNameAsTheStrictFirewallDoes() {
		for (String[] header : new String[][] { { "X-Split", "a\nb" }, { "X-Split", "a\rb" },
				{ "X-Split\r\nInjected", "yes" } }) {
			ServerWebExchange firewalled = firewalled(MockServerHttpRequest.get("/api/products"));
			firewalled.getResponse().getHeaders().set(header[0], header[1]);
			assertThatExceptionOfType(IllegalArgumentException.class)
				.isThrownBy(() -> firewalled.getResponse().setComplete().block())
				.withMessage("Invalid characters (CR/LF) in header " + header[0]);
		}
	}

	@Test
	void commitsAResponseWithoutLineBreaksAndRunsEveryLaterAction() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/products"));
		ServerWebExchange firewalled = this.firewall.getFirewalledExchange(exchange).block();
		assertThat(firewalled.getResponse()).isSameAs(exchange.getResponse());
		AtomicBoolean ran = new AtomicBoolean();
		firewalled.getResponse().beforeCommit(() -> Mono.fromRunnable(() -> ran.set(true)));
		firewalled.getResponse().getHeaders().set("X-Cache", "HIT");
		firewalled.getResponse().setComplete().block();
		assertThat(ran).isTrue();
		assertThat(exchange.getResponse().isCommitted()).isTrue();
	}

	@Test
	void refusesTheRequestsTheStrictFirewallRefuses() {
		for (String path : new String[] { "/api/products/a%2Fb", "/api/products/%25", "/api/../products",
				"/api/products;a=b" }) {
			MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(path));
			assertThatExceptionOfType(ServerExchangeRejectedException.class).as(path)
				.isThrownBy(() -> this.firewall.getFirewalledExchange(exchange).block());
		}
		ServerWebExchange firewalled = firewalled(
				MockServerHttpRequest.get("/api/products").header("If-None-Match", "\"a\u0085b\""));
		assertThatExceptionOfType(ServerExchangeRejectedException.class)
			.isThrownBy(() -> firewalled.getRequest().getHeaders().getFirst("If-None-Match"));
	}

	@Test
	void onReactorNettyPassesPlainHeadersAndNettyRefusesALineBreakWhenItIsSet() {
		AtomicReference<String> passed = new AtomicReference<>();
		AtomicReference<Throwable> lineBreak = new AtomicReference<>();
		HttpHandler handler = (request, response) -> {
			response.getHeaders().set("X-Cache", "HIT");
			LineBreakCheckedFirewall.refuseLineBreaks(new ServerHttpResponseDecorator(response));
			passed.set("X-Cache");
			try {
				response.getHeaders().set("X-Split", "a\r\nInjected: yes");
			}
			catch (IllegalArgumentException ex) {
				lineBreak.set(ex);
			}
			return response.setComplete();
		};
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle(new ReactorHttpHandlerAdapter(handler))
			.bindNow();
		try {
			WebTestClient.bindToServer()
				.baseUrl("http://127.0.0.1:" + server.port())
				.build()
				.get()
				.uri("/")
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.doesNotExist("X-Split")
				.expectHeader()
				.doesNotExist("Injected");
		}
		finally {
			server.disposeNow();
		}
		assertThat(passed).hasValue("X-Cache");
		assertThat(lineBreak.get()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X-Split");
	}

	@Test
	void walksNettysHeadersWhereNettyDoesNotValidateThem() {
		io.netty.handler.codec.http.HttpHeaders unvalidated = DefaultHttpHeadersFactory.headersFactory()
			.withValidation(false)
			.newHeaders();
		unvalidated.set("X-Cache", "HIT");
		LineBreakCheckedFirewall.refuseLineBreaks(unvalidated);
		unvalidated.set("X-Split", "a\r\nInjected: yes");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> LineBreakCheckedFirewall.refuseLineBreaks(unvalidated))
			.withMessage("Invalid characters (CR/LF) in header X-Split");
	}

	private ServerWebExchange firewalled(MockServerHttpRequest.BaseBuilder<?> request) {
		return this.firewall.getFirewalledExchange(MockServerWebExchange.from(request)).block();
	}

}
