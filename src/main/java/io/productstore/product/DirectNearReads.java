package io.productstore.product;

import java.util.Map;

import io.productstore.cache.CachedRead;
import io.productstore.cache.NearCacheProperties;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Answers {@code GET /api/products/{id}} when this instance's near cache holds the
 * product, ahead of the annotated controller: the status, headers and body of
 * {@link ProductController#find}, built by the same {@link CacheHeaders}, without the
 * controller's way per request (its mapping's conditions, a new handler method resolving
 * four arguments, the entity's content negotiation and message writer: about a quarter of
 * a near-cache read's CPU, docs/benchmarks.md, "Hot path"). Handler mappings are asked
 * after every web filter (security, rate limiting, request ids, the server timer), so
 * none of them is skipped. Everything else goes on to the controller as before: a product
 * memory does not hold or holds as missing, a query string ({@code fields}), a
 * {@code Cache-Control: no-cache}, a {@code HEAD}. Off with
 * {@code app.cache.near.direct-reads=false}.
 */
@Component
final class DirectNearReads implements HandlerMapping, Ordered {

	/**
	 * Before every other mapping: the request mappings (-200, asked before the
	 * actuator's) would take the request otherwise.
	 */
	static final int ORDER = -300;

	static final String PATTERN = "/api/products/{id}";

	private static final String PREFIX = "/api/products/";

	private static final PathPattern PATH_PATTERN = PathPatternParser.defaultInstance.parse(PATTERN);

	private final ProductService products;

	private final CacheHeaders cacheHeaders;

	private final boolean enabled;

	DirectNearReads(ProductService products, CacheHeaders cacheHeaders, NearCacheProperties properties) {
		this.products = products;
		this.cacheHeaders = cacheHeaders;
		this.enabled = properties.directReads();
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Object> getHandler(ServerWebExchange exchange) {
		String id = this.enabled ? plainRead(exchange.getRequest()) : null;
		CachedRead<ProductResponse> read = (id != null) ? this.products.held(id) : null;
		if (read == null || !read.found()) {
			return Mono.empty();
		}
		// What the request mapping records of the route it matched: the server timer
		// tags the request with it.
		Map<String, Object> attributes = exchange.getAttributes();
		attributes.put(BEST_MATCHING_PATTERN_ATTRIBUTE, PATH_PATTERN);
		attributes.put(URI_TEMPLATE_VARIABLES_ATTRIBUTE, Map.of("id", id));
		ServerRequestObservationContext.findCurrent(attributes).ifPresent((context) -> context.setPathPattern(PATTERN));
		WebHandler answer = (held) -> write(held, read);
		return Mono.just(answer);
	}

	/**
	 * The product id of a {@code GET} of one product in full, with nothing that the
	 * controller reads otherwise; else {@code null}.
	 */
	private static @Nullable String plainRead(ServerHttpRequest request) {
		if (request.getMethod() != HttpMethod.GET || request.getURI().getRawQuery() != null) {
			return null;
		}
		String path = request.getPath().pathWithinApplication().value();
		if (!path.startsWith(PREFIX) || CacheHeaders.noCache(request.getHeaders())) {
			return null;
		}
		// Not a valid id (count, wishlist, a path with more segments or escapes): the
		// controller's, which answers it as it does.
		return ProductId.normalised(path.substring(PREFIX.length()));
	}

	private Mono<Void> write(ServerWebExchange exchange, CachedRead<ProductResponse> read) {
		ServerHttpResponse response = exchange.getResponse();
		HttpHeaders request = exchange.getRequest().getHeaders();
		CacheHeaders.outcome(response, read);
		ResponseEntity<byte[]> answer = this.cacheHeaders.product(read, request, response);
		response.setStatusCode(answer.getStatusCode());
		byte[] body = answer.getBody();
		if (body == null) {
			return response.setComplete();
		}
		response.getHeaders().setContentLength(body.length);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

}
