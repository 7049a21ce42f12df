package io.productstore.security;

import java.util.List;
import java.util.Set;

import org.springframework.security.web.server.context.ReactorContextWebFilter;
import org.springframework.security.web.server.context.SecurityContextServerWebExchangeWebFilter;
import org.springframework.security.web.server.savedrequest.ServerRequestCacheWebFilter;
import org.springframework.web.server.WebFilter;

/**
 * The filters of the anonymous reads' chain that act on such a read. Spring Security's
 * DSL adds four to every chain that only hand state on: the security context loaded by
 * the chain's repository, the principal read from it, the request a login would return
 * to, the exchange for OAuth2 client calls. The anonymous reads' chain has nothing to
 * hand on: it stores no context ({@code NoOpServerSecurityContextRepository}), saves no
 * request ({@code NoOpServerRequestCache}), the read carries no credentials and the
 * service makes no OAuth2 client calls. Without the four, what comes after them sees what
 * it saw with them: no security context, no principal. Together they cost 5 % of a
 * near-cache read (docs/benchmarks.md, "Hot path"). Every other filter the DSL builds,
 * one a later version adds included, stays, in its order.
 */
final class StatelessReadFilters {

	/**
	 * The classes of the four, by name: the one that hands on the exchange is private to
	 * the DSL.
	 */
	static final Set<String> HANDING_ON_NOTHING = Set.of(
			"org.springframework.security.config.web.server.ServerHttpSecurity$ServerWebExchangeReactorContextWebFilter",
			ReactorContextWebFilter.class.getName(), SecurityContextServerWebExchangeWebFilter.class.getName(),
			ServerRequestCacheWebFilter.class.getName());

	private StatelessReadFilters() {
	}

	/**
	 * The chain's filters without the four that hand nothing on to a stateless read.
	 * @param chain the filters of a chain that stores no context and saves no request
	 * @return the others, in their order
	 */
	static List<WebFilter> of(List<WebFilter> chain) {
		return chain.stream().filter((filter) -> !HANDING_ON_NOTHING.contains(filter.getClass().getName())).toList();
	}

}
