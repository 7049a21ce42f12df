package io.productstore.product;

import java.util.Arrays;
import java.util.List;

import io.productstore.cache.CachedRead;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;

/**
 * The HTTP side of cached reads: {@code Cache-Control: no-cache} on a request bypasses
 * the cache, {@code X-Cache} and {@code X-Cache-Level} on the response say how it was
 * served, entity tags answer {@code If-None-Match} from the cached entry, and anonymous
 * reads carry {@code Cache-Control: public, max-age=..., stale-while-revalidate=...}
 * (every other response keeps Spring Security's {@code no-store}, which it writes only
 * where no {@code Cache-Control} was set).
 */
@Component
class CacheHeaders {

	static final String X_CACHE = "X-Cache";

	static final String X_CACHE_LEVEL = "X-Cache-Level";

	private final HttpCacheProperties properties;

	private final CacheControl publicRead;

	CacheHeaders(HttpCacheProperties properties) {
		this.properties = properties;
		this.publicRead = CacheControl.maxAge(properties.maxAge())
			.cachePublic()
			.staleWhileRevalidate(properties.staleWhileRevalidate());
	}

	static boolean noCache(HttpHeaders request) {
		String cacheControl = request.getCacheControl();
		return cacheControl != null && Arrays.stream(cacheControl.split(","))
			.anyMatch((directive) -> directive.trim().equalsIgnoreCase("no-cache"));
	}

	static void outcome(ServerHttpResponse response, CachedRead<?> read) {
		response.getHeaders().set(X_CACHE, read.outcome().name());
		response.getHeaders().set(X_CACHE_LEVEL, read.level().name().toLowerCase(java.util.Locale.ROOT));
	}

	/**
	 * A list or count: the cached JSON as the body, with a weak entity tag derived from
	 * it, or 304 when the request already has that tag.
	 */
	ResponseEntity<byte[]> weaklyTagged(CachedRead<?> read, HttpHeaders request, ServerHttpResponse response) {
		outcome(response, read);
		String etag = "W/\"" + read.digest() + "\"";
		if (ifNoneMatchHits(request.getIfNoneMatch(), etag)) {
			return publicRead(ResponseEntity.status(HttpStatus.NOT_MODIFIED), request).eTag(etag).build();
		}
		return publicRead(ResponseEntity.ok(), request).eTag(etag)
			.contentType(MediaType.APPLICATION_JSON)
			.body(read.json());
	}

	/** Adds the public caching policy, unless the request carries credentials. */
	ResponseEntity.BodyBuilder publicRead(ResponseEntity.BodyBuilder builder, HttpHeaders request) {
		if (this.properties.enabled() && !request.containsHeader(HttpHeaders.AUTHORIZATION)) {
			builder.cacheControl(this.publicRead);
		}
		return builder;
	}

	/** Weak comparison (RFC 9110 13.1.2): {@code W/} prefixes are ignored. */
	private static boolean ifNoneMatchHits(List<String> ifNoneMatch, String etag) {
		String opaque = opaque(etag);
		return ifNoneMatch.stream().anyMatch((tag) -> tag.equals("*") || opaque(tag).equals(opaque));
	}

	private static String opaque(String tag) {
		return tag.startsWith("W/") ? tag.substring(2) : tag;
	}

}
