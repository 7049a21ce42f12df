package io.productstore.web;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import io.productstore.logging.RequestLogging;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

/**
 * Gives every request a correlation id: the caller's {@code X-Request-Id} when it is a
 * safe token, else a new random (version 4) UUID; echoed on the response and carried, as
 * the Reactor context entry and exchange attribute {@link RequestLogging#KEY}, to the
 * statements that log while handling the request, which put it into the logging MDC
 * ({@link RequestLogging}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestIdFilter extends NamedWebFilter {

	static final String HEADER = "X-Request-Id";

	// Ids end up in logs and response headers: no spaces, quotes or line breaks.
	private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String id = requestId(exchange.getRequest().getHeaders().getFirst(HEADER));
		exchange.getAttributes().put(RequestLogging.KEY, id);
		// Set now, not before commit: a header written up front costs no callback.
		exchange.getResponse().getHeaders().set(HEADER, id);
		return chain.filter(exchange).contextWrite((context) -> context.put(RequestLogging.KEY, id));
	}

	static String requestId(String given) {
		return (given != null && SAFE_ID.matcher(given).matches()) ? given : randomUuid().toString();
	}

	/**
	 * A version 4 UUID from {@link ThreadLocalRandom}: an id correlates log lines and
	 * guards nothing, so it needs to be unique, not unguessable, and
	 * {@link UUID#randomUUID()}'s {@code SecureRandom} cost about 1 % of a cached read's
	 * CPU (docs/benchmarks.md, "Hot path").
	 */
	static UUID randomUuid() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long mostSignificant = (random.nextLong() & ~0xF000L) | 0x4000L;
		long leastSignificant = (random.nextLong() & ~(0x3L << 62)) | (0x2L << 62);
		return new UUID(mostSignificant, leastSignificant);
	}

}
