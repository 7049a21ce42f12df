package io.productstore.web;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses with 413 a request that declares a {@code Content-Length} above
 * {@code spring.codec.max-in-memory-size} (or above the {@link StreamedBodyLimit} of its
 * route) before anything reads it; bodies without a declared length are cut off by the
 * codecs at the same limit (streamed routes cut them off themselves).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ContentLengthLimitFilter extends NamedWebFilter {

	private final long maxBytes;

	private final Map<String, Long> streamedMaxBytes;

	private final ProblemResponseWriter problems;

	ContentLengthLimitFilter(@Value("${spring.codec.max-in-memory-size:1MB}") DataSize maxSize,
			List<StreamedBodyLimit> streamed, ProblemResponseWriter problems) {
		this.maxBytes = maxSize.toBytes();
		this.streamedMaxBytes = streamed.stream()
			.collect(Collectors.toUnmodifiableMap(StreamedBodyLimit::path, (limit) -> limit.maxSize().toBytes()));
		this.problems = problems;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		long length = exchange.getRequest().getHeaders().getContentLength();
		long maxBytes = this.streamedMaxBytes
			.getOrDefault(exchange.getRequest().getPath().pathWithinApplication().value(), this.maxBytes);
		if (length > maxBytes) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
					"The request body is " + length + " bytes; at most " + maxBytes + " are accepted");
			return this.problems.write(exchange, problem);
		}
		return chain.filter(exchange);
	}

}
