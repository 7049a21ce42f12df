package bench.ceiling;

import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher.MatchResult;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * With {@code ceiling.security=true} (and Boot's security auto-configuration back): a
 * security chain of the service's kind, stateless HTTP Basic with Spring Security's
 * default headers and firewall, reads public (those without credentials through a chain
 * of their own, as the service's), so that the benchmark tells what Spring Security
 * alone costs on the bare app.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("ceiling.security")
class CeilingSecurity {

	private static final PathPattern PRODUCTS = PathPatternParser.defaultInstance.parse("/api/products/**");

	// As the service: reads without credentials take a chain with nothing to
	// authenticate or decide.
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityWebFilterChain anonymousReads(ServerHttpSecurity http) {
		return http.securityMatcher(CeilingSecurity::anonymousRead)
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.anonymous(ServerHttpSecurity.AnonymousSpec::disable)
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			// No authorization rules, so no authorization filter: every request this
			// chain takes is one the full chain permits to anybody.
			.build();
	}

	private static Mono<MatchResult> anonymousRead(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		boolean read = request.getMethod() == HttpMethod.GET
				&& !request.getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)
				&& PRODUCTS.matches(request.getPath().pathWithinApplication());
		return read ? MatchResult.match() : MatchResult.notMatch();
	}

	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
		return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.httpBasic((basic) -> {
			})
			.authorizeExchange((exchanges) -> exchanges.pathMatchers(HttpMethod.GET, "/api/products/**")
				.permitAll()
				.anyExchange()
				.authenticated())
			.build();
	}

}
