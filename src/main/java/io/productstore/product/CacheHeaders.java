package io.productstore.product;

import java.util.Arrays;

import io.productstore.cache.CacheLookup;
import io.productstore.cache.CacheOutcome;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * The HTTP side of cached reads: {@code Cache-Control: no-cache} on a request bypasses
 * the cache, and {@code X-Cache} on the response says how it was served.
 */
final class CacheHeaders {

	static final String X_CACHE = "X-Cache";

	private CacheHeaders() {
	}

	static boolean noCache(HttpHeaders request) {
		String cacheControl = request.getCacheControl();
		return cacheControl != null && Arrays.stream(cacheControl.split(","))
			.anyMatch((directive) -> directive.trim().equalsIgnoreCase("no-cache"));
	}

	static void outcome(ServerHttpResponse response, CacheOutcome outcome) {
		response.getHeaders().set(X_CACHE, outcome.name());
	}

	static <T> ResponseEntity<T> ok(CacheLookup<T> lookup) {
		return ResponseEntity.ok().header(X_CACHE, lookup.outcome().name()).body(lookup.value());
	}

}
