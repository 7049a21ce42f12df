package io.productstore.security;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.WebFilterChainProxy.WebFilterChainDecorator;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.HttpStatusExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.security.web.server.header.HttpHeaderWriterWebFilter;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.server.WebFilter;

/**
 * Stateless HTTP Basic security: public product reads, role-guarded writes, cache
 * administration and actuator.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

	private static final String PRODUCTS = "/api/products/**";

	private static final AnonymousProductRead ANONYMOUS_READ = new AnonymousProductRead(PRODUCTS);

	/**
	 * No observation (a timer and its tags) around each security filter, authentication
	 * and authorization decision: on a cached read they cost about as much as the read
	 * (docs/benchmarks.md, "Hot path"); {@code http.server.requests} times the request.
	 */
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	/**
	 * The security filters without a checkpoint each
	 * ({@link UncheckpointedSecurityFilters}). It takes the place of the post-processor
	 * that would put an observation around each filter, which the settings above turn off
	 * anyway.
	 */
	@Bean
	@Primary
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static ObjectPostProcessor<WebFilterChainDecorator> uncheckpointedSecurityFilters() {
		return new ObjectPostProcessor<>() {
			@Override
			@SuppressWarnings("unchecked")
			public <O extends WebFilterChainDecorator> O postProcess(O decorator) {
				return (O) new UncheckpointedSecurityFilters();
			}
		};
	}

	/**
	 * Anonymous product reads, the bulk of the traffic, through a chain with nothing to
	 * authenticate or decide: CORS, the security headers and the firewall of every chain,
	 * and no authentication, anonymous-user or authorization filters: a bare WebFlux app
	 * behind a chain of this kind serves 30k requests/s where the full chain leaves 24k
	 * (docs/benchmarks.md, "Hot path"). It answers exactly what the full chain answers
	 * these requests, which permits them to anybody; a request with credentials goes to
	 * the full chain.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityWebFilterChain anonymousProductReads(ServerHttpSecurity http) {
		return statelessWithHeaders(http.securityMatcher(ANONYMOUS_READ))
			.anonymous(ServerHttpSecurity.AnonymousSpec::disable)
			// No authorization rules, so no authorization filter: every request this
			// chain takes is one the full chain permits to anybody.
			.build();
	}

	/**
	 * The firewall of every chain: Spring Security's strict one, with its check of the
	 * response headers made in place ({@link LineBreakCheckedFirewall}).
	 */
	@Bean
	ServerWebExchangeFirewall serverWebExchangeFirewall() {
		return new LineBreakCheckedFirewall(new StrictServerWebExchangeFirewall());
	}

	/**
	 * Anonymous reads reach their chain without the proxy's choice of a chain per request
	 * ({@link AnonymousReadShortcut}), through the firewall and the rejection handler
	 * that Spring Security's configuration gives the proxy (the beans if unique, else its
	 * defaults), and through the filters of their chain that act on such a read
	 * ({@link StatelessReadFilters}).
	 */
	@Bean
	static BeanPostProcessor anonymousReadShortcut(
			@Qualifier("anonymousProductReads") ObjectProvider<SecurityWebFilterChain> anonymousReads,
			ObjectProvider<ServerWebExchangeFirewall> firewall,
			ObjectProvider<ServerExchangeRejectedHandler> rejected) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String name) {
				if (!(bean instanceof WebFilterChainProxy proxy)) {
					return bean;
				}
				// Once, at start-up, on the thread that creates the beans (never on a
				// request): a chain built by the DSL lists its filters from a list, at
				// once.
				List<WebFilter> filters = anonymousReads.getObject().getWebFilters().collectList().block();
				return new AnonymousReadShortcut(proxy, ANONYMOUS_READ, StatelessReadFilters.of(filters),
						firewall.getIfUnique(StrictServerWebExchangeFirewall::new),
						rejected.getIfUnique(HttpStatusExchangeRejectedHandler::new));
			}
		};
	}

	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, ProblemSecurityHandlers problems,
			ReactiveAuthenticationManager authenticationManager,
			@Qualifier("requestMappingHandlerMapping") ObjectProvider<RequestMappingHandlerMapping> mappings) {
		return statelessWithHeaders(http).authenticationManager(authenticationManager)
			.httpBasic((basic) -> basic.authenticationEntryPoint(problems))
			.exceptionHandling((handling) -> handling.authenticationEntryPoint(problems).accessDeniedHandler(problems))
			.authorizeExchange((exchanges) -> exchanges.pathMatchers(HttpMethod.OPTIONS)
				.permitAll()
				.pathMatchers(HttpMethod.GET, PRODUCTS)
				.permitAll()
				.pathMatchers(HttpMethod.HEAD, PRODUCTS)
				.permitAll()
				.pathMatchers(HttpMethod.PATCH, "/api/products/*/wishlist")
				.authenticated()
				.pathMatchers(HttpMethod.POST, PRODUCTS)
				.hasAnyRole("EDITOR", "ADMIN")
				.pathMatchers(HttpMethod.PUT, PRODUCTS)
				.hasAnyRole("EDITOR", "ADMIN")
				.pathMatchers(HttpMethod.PATCH, PRODUCTS)
				.hasAnyRole("EDITOR", "ADMIN")
				.pathMatchers(HttpMethod.DELETE, PRODUCTS)
				.hasAnyRole("EDITOR", "ADMIN")
				.pathMatchers("/api/cache/**")
				.hasRole("ADMIN")
				.pathMatchers(HttpMethod.GET, "/api/ping")
				.permitAll()
				.pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/info")
				.permitAll()
				// A scraper reads the metrics and nothing else.
				.pathMatchers(HttpMethod.GET, "/actuator/prometheus")
				.hasAnyRole("METRICS", "ADMIN")
				.pathMatchers("/actuator/**")
				.hasRole("ADMIN")
				.pathMatchers("/swagger-ui.html", "/swagger-ui/**", "/v3/api-docs/**", "/webjars/**")
				.permitAll()
				// Deny by default: an API route no rule above names is not public until
				// someone writes its rule; a path no controller handles answers 404.
				.matchers(new UnmappedRoute(mappings))
				.permitAll()
				.pathMatchers("/api/**")
				.denyAll()
				// Outside the API nothing is served but the documentation above: an
				// unknown path answers 404, which tells nothing.
				.anyExchange()
				.permitAll())
			.build();
	}

	/**
	 * What both chains share: no session, CORS, and Spring Security's default headers.
	 */
	private static ServerHttpSecurity statelessWithHeaders(ServerHttpSecurity http) {
		// Every request carries its credentials and no cookie authenticates anybody, so
		// there is no session for a cross-site request to ride on: no CSRF tokens.
		return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			// Nothing to return to after a login page: a request cache would only look up
			// (and create) a web session on every request.
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.cors(Customizer.withDefaults())
			// Spring Security's default headers, from one writer instead of twelve.
			.headers(ServerHttpSecurity.HeaderSpec::disable)
			.addFilterAt(new HttpHeaderWriterWebFilter(new SecurityHeaders()),
					SecurityWebFiltersOrder.HTTP_HEADERS_WRITER)
			.addFilterAt(new OneFirewalledRequest(), SecurityWebFiltersOrder.FIRST);
	}

}
