package io.productstore.security;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.server.ServerWebExchange;

/**
 * Matches a request that no controller handles, so security can let it through to its 404
 * (or 405/415) instead of asking for credentials: an unknown path tells a caller nothing,
 * whereas a route that exists but that no security rule names must be denied.
 */
final class UnmappedRoute implements ServerWebExchangeMatcher {

	private final ObjectProvider<RequestMappingHandlerMapping> mappings;

	UnmappedRoute(ObjectProvider<RequestMappingHandlerMapping> mappings) {
		this.mappings = mappings;
	}

	@Override
	public Mono<MatchResult> matches(ServerWebExchange exchange) {
		RequestMappingHandlerMapping mapping = this.mappings.getIfAvailable();
		if (mapping == null) {
			return MatchResult.notMatch();
		}
		// A lookup error (method not allowed, unsupported media type) means no handler
		// will run either: the dispatcher answers it as a problem.
		return mapping.getHandler(exchange)
			.hasElement()
			.onErrorReturn(false)
			.flatMap((mapped) -> mapped ? MatchResult.notMatch() : MatchResult.match());
	}

}
