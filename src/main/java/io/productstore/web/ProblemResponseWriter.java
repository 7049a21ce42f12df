package io.productstore.web;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.core.ResolvableType;
import org.springframework.core.codec.Hints;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Writes a {@link ProblemDetail} as {@code application/problem+json} from outside a
 * controller (web filters, security handlers, the rate limiter), with the application's
 * own codecs; public because those live in other packages.
 */
@Component
public class ProblemResponseWriter {

	private static final ResolvableType PROBLEM_TYPE = ResolvableType.forClass(ProblemDetail.class);

	private final List<HttpMessageWriter<?>> writers;

	ProblemResponseWriter(ServerCodecConfigurer codecs) {
		this.writers = codecs.getWriters();
	}

	/**
	 * Write a problem as the response, with the type and instance filled in, unless the
	 * response is already committed.
	 * @param exchange the current exchange
	 * @param problem the problem
	 * @return completion of the write
	 */
	public Mono<Void> write(ServerWebExchange exchange, ProblemDetail problem) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.empty();
		}
		ProblemTypes.complete(problem, exchange);
		response.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		Map<String, Object> hints = Hints.from(Hints.LOG_PREFIX_HINT, exchange.getLogPrefix());
		return writer().write(Mono.just(problem), PROBLEM_TYPE, MediaType.APPLICATION_PROBLEM_JSON, response, hints);
	}

	@SuppressWarnings("unchecked")
	private HttpMessageWriter<ProblemDetail> writer() {
		for (HttpMessageWriter<?> writer : this.writers) {
			if (writer.canWrite(PROBLEM_TYPE, MediaType.APPLICATION_PROBLEM_JSON)) {
				return (HttpMessageWriter<ProblemDetail>) writer;
			}
		}
		throw new IllegalStateException("No codec writes application/problem+json");
	}

}
