package bench.ceiling;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

/**
 * With {@code ceiling.security=true} (and Boot's security auto-configuration back): a
 * security chain of the service's kind, stateless HTTP Basic with Spring Security's
 * default headers and firewall, reads public, so that the benchmark tells what Spring
 * Security alone costs on the bare app.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("ceiling.security")
class CeilingSecurity {

	@Bean
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
