package io.productstore.security;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * A read of products without credentials: {@code GET} or {@code HEAD} on a path that the
 * full chain's {@code pathMatchers(GET, "/api/products/**").permitAll()} rule permits to
 * anybody, parsed by the same parser, and no {@code Authorization} header. Credentials,
 * right or wrong, always go through the full chain, which checks them.
 */
final class AnonymousProductRead implements ServerWebExchangeMatcher {

	private final PathPattern products;

	AnonymousProductRead(String productsPattern) {
		this.products = PathPatternParser.defaultInstance.parse(productsPattern);
	}

	@Override
	public Mono<MatchResult> matches(ServerWebExchange exchange) {
		return matches(exchange.getRequest()) ? MatchResult.match() : MatchResult.notMatch();
	}

	/**
	 * The same decision, without a {@code Mono}: nothing in it waits.
	 * @param request the request
	 * @return whether the request is an anonymous read of products
	 */
	boolean matches(ServerHttpRequest request) {
		HttpMethod method = request.getMethod();
		return (method == HttpMethod.GET || method == HttpMethod.HEAD)
				&& !request.getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)
				&& this.products.matches(request.getPath().pathWithinApplication());
	}

}
