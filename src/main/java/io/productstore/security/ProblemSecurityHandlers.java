package io.productstore.security;

import io.productstore.web.ProblemResponseWriter;
import io.productstore.web.RejectedRequests;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Answers missing or wrong credentials (401, with a Basic challenge), missing roles (403)
 * and requests the firewall refuses (400, {@link RejectedRequests}; Spring Security's own
 * answer is an empty body) with problem details, like every other error.
 */
@Component
class ProblemSecurityHandlers
		implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler, ServerExchangeRejectedHandler {

	static final String CHALLENGE = "Basic realm=\"product-store\"";

	private final ProblemResponseWriter problems;

	ProblemSecurityHandlers(ProblemResponseWriter problems) {
		this.problems = problems;
	}

	@Override
	public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException ex) {
		exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
		return this.problems.write(exchange, ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
				"Missing or wrong credentials: authenticate with HTTP Basic"));
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
		return this.problems.write(exchange,
				ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, "Your role does not allow "
						+ exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value()));
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException rejected) {
		return this.problems.write(exchange, RejectedRequests.problem());
	}

}
