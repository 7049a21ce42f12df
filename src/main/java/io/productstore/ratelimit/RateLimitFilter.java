package io.productstore.ratelimit;

import java.util.concurrent.Executor;

import io.productstore.web.ConnectionEventLoop;
import io.productstore.web.NamedWebFilter;
import io.productstore.web.ProblemResponseWriter;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

/**
 * Limits {@code /api/**} per client: every answer carries {@code RateLimit-Limit},
 * {@code RateLimit-Remaining} and {@code RateLimit-Reset} (seconds), and a request over
 * the limit gets 429 problem details with {@code Retry-After} (seconds).
 */
class RateLimitFilter extends NamedWebFilter implements Ordered {

	/**
	 * Right after Spring Security's filter chain (order -100, a constant of its
	 * package-private {@code WebFluxSecurityConfiguration}), so that the authenticated
	 * user is known.
	 */
	static final int ORDER = -99;

	static final String LIMIT = "RateLimit-Limit";

	static final String REMAINING = "RateLimit-Remaining";

	static final String RESET = "RateLimit-Reset";

	private final ClientKeyResolver clients;

	private final RateLimiter limiter;

	private final ProblemResponseWriter problems;

	RateLimitFilter(ClientKeyResolver clients, RateLimiter limiter, ProblemResponseWriter problems) {
		this.clients = clients;
		this.limiter = limiter;
		this.problems = problems;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!isApi(exchange.getRequest().getPath().pathWithinApplication().value())) {
			return chain.filter(exchange);
		}
		Executor loop = ConnectionEventLoop.of(exchange);
		return this.clients.resolve(exchange)
			.flatMap((client) -> this.limiter.tryConsume(client, loop))
			.flatMap((decision) -> {
				HttpHeaders headers = exchange.getResponse().getHeaders();
				headers.set(LIMIT, Long.toString(decision.limit()));
				headers.set(REMAINING, Long.toString(decision.remaining()));
				headers.set(RESET, Long.toString(decision.resetSeconds()));
				return decision.allowed() ? chain.filter(exchange) : refuse(exchange, decision);
			});
	}

	private Mono<Void> refuse(ServerWebExchange exchange, RateLimitDecision decision) {
		exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, "Rate limit of "
				+ decision.limit() + " requests exceeded; retry in " + decision.retryAfterSeconds() + " s");
		return this.problems.write(exchange, problem);
	}

	static boolean isApi(String path) {
		return path.equals("/api") || path.startsWith("/api/");
	}

}
