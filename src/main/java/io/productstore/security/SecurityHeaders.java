package io.productstore.security;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.web.server.header.ServerHttpHeadersWriter;
import org.springframework.web.server.ServerWebExchange;

/**
 * The response headers of Spring Security's default header writers, written by one
 * writer: the same names and values under the same conditions (each only where the
 * response has none of its own, {@code Cache-Control} not on a 304,
 * {@code Strict-Transport-Security} over HTTPS only; {@code SecurityHeadersTests} holds
 * it to the defaults), without the twelve writers chained through a {@code Flux} per
 * response, most of which write nothing (docs/benchmarks.md, "Hot path").
 */
final class SecurityHeaders implements ServerHttpHeadersWriter {

	static final String CACHE_CONTROL = "no-cache, no-store, max-age=0, must-revalidate";

	static final String HSTS = "max-age=31536000 ; includeSubDomains";

	@Override
	public Mono<Void> writeHttpHeaders(ServerWebExchange exchange) {
		ServerHttpResponse response = exchange.getResponse();
		HttpHeaders headers = response.getHeaders();
		if (response.getStatusCode() != HttpStatus.NOT_MODIFIED && !headers.containsHeader(HttpHeaders.CACHE_CONTROL)
				&& !headers.containsHeader(HttpHeaders.PRAGMA) && !headers.containsHeader(HttpHeaders.EXPIRES)) {
			headers.set(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
			headers.set(HttpHeaders.PRAGMA, "no-cache");
			headers.set(HttpHeaders.EXPIRES, "0");
		}
		setIfAbsent(headers, "X-Content-Type-Options", "nosniff");
		if ("https".equalsIgnoreCase(exchange.getRequest().getURI().getScheme())) {
			setIfAbsent(headers, "Strict-Transport-Security", HSTS);
		}
		setIfAbsent(headers, "X-Frame-Options", "DENY");
		setIfAbsent(headers, "X-XSS-Protection", "0");
		setIfAbsent(headers, "Referrer-Policy", "no-referrer");
		return Mono.empty();
	}

	private static void setIfAbsent(HttpHeaders headers, String name, String value) {
		if (!headers.containsHeader(name)) {
			headers.set(name, value);
		}
	}

}
