package io.productstore.web;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses with 413 a request that declares a {@code Content-Length} above
 * {@code spring.codec.max-in-memory-size} before anything reads it; bodies without a
 * declared length are cut off by the codecs at the same limit.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ContentLengthLimitFilter implements WebFilter {

	private final long maxBytes;

	private final ProblemResponseWriter problems;

	ContentLengthLimitFilter(@Value("${spring.codec.max-in-memory-size:1MB}") DataSize maxSize,
			ProblemResponseWriter problems) {
		this.maxBytes = maxSize.toBytes();
		this.problems = problems;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		long length = exchange.getRequest().getHeaders().getContentLength();
		if (length > this.maxBytes) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
					"The request body is " + length + " bytes; at most " + this.maxBytes + " are accepted");
			return this.problems.write(exchange, problem);
		}
		return chain.filter(exchange);
	}

}
