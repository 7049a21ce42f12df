package io.productstore.security;

import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;

import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.http.server.reactive.AbstractServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;

/**
 * Spring Security's {@link StrictServerWebExchangeFirewall}, with its one check of the
 * response made without copying the response's headers. The strict firewall refuses a
 * response header whose name or value holds a CR or LF (response splitting) in an action
 * before the response is committed, which walks the headers with
 * {@code HttpHeaders.forEach}: on Reactor Netty, Spring copies every name into a new set
 * and looks each up again, 12 % of a near-cache read's CPU (docs/benchmarks.md, "Hot
 * path"). This firewall hands the request to the strict one, whose every check of the
 * method, URL, host, headers and parameters applies as before; keeps the action the
 * strict one registers on the response (its only one:
 * {@code LineBreakCheckedFirewallTests} fails if a later Spring Security registers
 * another); and registers the same check in its place, which walks Netty's own headers in
 * place.
 */
final class LineBreakCheckedFirewall implements ServerWebExchangeFirewall {

	private final StrictServerWebExchangeFirewall strict;

	LineBreakCheckedFirewall(StrictServerWebExchangeFirewall strict) {
		this.strict = strict;
	}

	@Override
	public Mono<ServerWebExchange> getFirewalledExchange(ServerWebExchange exchange) {
		StrictCheckReplaced replaced = new StrictCheckReplaced(exchange);
		return this.strict.getFirewalledExchange(replaced).map((firewalled) -> {
			replaced.firewalled();
			ServerHttpResponse response = exchange.getResponse();
			response.beforeCommit(() -> Mono.fromRunnable(() -> refuseLineBreaks(response)));
			return firewalled;
		});
	}

	/**
	 * Refuses a response header with a CR or LF in its name or value, as the strict
	 * firewall does. On Reactor Netty Netty refuses them already when a header is set
	 * (its default validation); this check stays for a server configured without it.
	 * @param response the response about to be committed
	 * @throws IllegalArgumentException naming the header
	 */
	static void refuseLineBreaks(ServerHttpResponse response) {
		HttpHeaders netty = nettyHeaders(response);
		if (netty != null) {
			refuseLineBreaks(netty);
			return;
		}
		response.getHeaders().forEach((name, values) -> values.forEach((value) -> refuseLineBreaks(name, value)));
	}

	/** The same walking Netty's headers in place, without copies. */
	static void refuseLineBreaks(HttpHeaders netty) {
		Iterator<Map.Entry<CharSequence, CharSequence>> headers = netty.iteratorCharSequence();
		while (headers.hasNext()) {
			Map.Entry<CharSequence, CharSequence> header = headers.next();
			refuseLineBreaks(header.getKey(), header.getValue());
		}
	}

	private static @Nullable HttpHeaders nettyHeaders(ServerHttpResponse response) {
		ServerHttpResponse unwrapped = response;
		while (unwrapped instanceof ServerHttpResponseDecorator decorator) {
			unwrapped = decorator.getDelegate();
		}
		if (!(unwrapped instanceof AbstractServerHttpResponse known)) {
			return null;
		}
		try {
			return (known.getNativeResponse() instanceof HttpServerResponse netty) ? netty.responseHeaders() : null;
		}
		catch (IllegalStateException noNativeResponse) {
			// A mock response (tests) has none.
			return null;
		}
	}

	private static void refuseLineBreaks(CharSequence name, @Nullable CharSequence value) {
		if (hasLineBreak(name) || hasLineBreak(value)) {
			throw new IllegalArgumentException("Invalid characters (CR/LF) in header " + name);
		}
	}

	private static boolean hasLineBreak(@Nullable CharSequence text) {
		if (text == null) {
			return false;
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\r' || c == '\n') {
				return true;
			}
		}
		return false;
	}

	/**
	 * The exchange as the strict firewall sees it: until it has firewalled the request,
	 * the response drops what is registered to run before its commit (the strict check);
	 * afterwards it is the response itself, for every filter and handler that asks.
	 */
	private static final class StrictCheckReplaced extends ServerWebExchangeDecorator {

		private final ServerHttpResponse withoutCommitActions;

		private boolean firewalled;

		private StrictCheckReplaced(ServerWebExchange exchange) {
			super(exchange);
			this.withoutCommitActions = new ServerHttpResponseDecorator(exchange.getResponse()) {
				@Override
				public void beforeCommit(Supplier<? extends Mono<Void>> action) {
					if (StrictCheckReplaced.this.firewalled) {
						super.beforeCommit(action);
					}
				}
			};
		}

		void firewalled() {
			this.firewalled = true;
		}

		@Override
		public ServerHttpResponse getResponse() {
			return this.firewalled ? super.getResponse() : this.withoutCommitActions;
		}

	}

}
