package io.productstore.product;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.productstore.cache.CacheLevel;
import io.productstore.cache.CachedRead;

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
 * <p>
 * The headers of a cached read are set on the response itself, with values built once,
 * and the entity carries only the status and the body: headers on a
 * {@link ResponseEntity} are copied into the response one by one, which cost a cached
 * read more than the cache lookup (docs/benchmarks.md, "Hot path").
 */
@Component
class CacheHeaders {

	static final String X_CACHE = "X-Cache";

	static final String X_CACHE_LEVEL = "X-Cache-Level";

	private static final String JSON = MediaType.APPLICATION_JSON_VALUE;

	private static final Map<CacheLevel, String> LEVELS = new EnumMap<>(CacheLevel.class);

	static {
		for (CacheLevel level : CacheLevel.values()) {
			LEVELS.put(level, level.name().toLowerCase(Locale.ROOT));
		}
	}

	private final boolean enabled;

	private final String publicRead;

	CacheHeaders(HttpCacheProperties properties) {
		this.enabled = properties.enabled();
		this.publicRead = org.springframework.http.CacheControl.maxAge(properties.maxAge())
			.cachePublic()
			.staleWhileRevalidate(properties.staleWhileRevalidate())
			.getHeaderValue();
	}

	static boolean noCache(HttpHeaders request) {
		String cacheControl = request.getFirst(HttpHeaders.CACHE_CONTROL);
		if (cacheControl == null) {
			return false;
		}
		for (String directive : cacheControl.split(",")) {
			if (directive.trim().equalsIgnoreCase("no-cache")) {
				return true;
			}
		}
		return false;
	}

	static void outcome(ServerHttpResponse response, CachedRead<?> read) {
		response.getHeaders().set(X_CACHE, read.outcome().name());
		response.getHeaders().set(X_CACHE_LEVEL, LEVELS.get(read.level()));
	}

	/**
	 * The answer to a read of a cached entity: 304 when the request already has its tag,
	 * else the cached JSON as the body.
	 * @param etag the entity tag, written as {@code ETag}
	 * @param json the body
	 * @param notModified whether the request's {@code If-None-Match} names the tag
	 * @param request the request's headers
	 * @param response the response
	 * @return the entity, with no headers of its own
	 */
	ResponseEntity<byte[]> read(String etag, byte[] json, boolean notModified, HttpHeaders request,
			ServerHttpResponse response) {
		HttpHeaders headers = response.getHeaders();
		publicRead(headers, request);
		headers.set(HttpHeaders.ETAG, etag);
		if (notModified) {
			return ResponseEntity.status(HttpStatus.NOT_MODIFIED).build();
		}
		headers.set(HttpHeaders.CONTENT_TYPE, JSON);
		return ResponseEntity.ok(json);
	}

	/**
	 * A product read in full: 304 when the request already has its version's tag, else
	 * its cached JSON.
	 * @param read a read that found the product
	 * @param request the request's headers
	 * @param response the response
	 * @return the entity, with no headers of its own
	 */
	ResponseEntity<byte[]> product(CachedRead<ProductResponse> read, HttpHeaders request, ServerHttpResponse response) {
		ProductResponse product = read.value();
		return read(product.etag(), read.json(),
				EntityTags.ifNoneMatchHits(request.getIfNoneMatch(), product.version()), request, response);
	}

	/**
	 * A list or count: the cached JSON as the body, with a weak entity tag derived from
	 * it, or 304 when the request already has that tag.
	 */
	ResponseEntity<byte[]> weaklyTagged(CachedRead<?> read, HttpHeaders request, ServerHttpResponse response) {
		outcome(response, read);
		String etag = "W/\"" + read.digest() + "\"";
		return read(etag, read.json(), ifNoneMatchHits(request.getIfNoneMatch(), etag), request, response);
	}

	/**
	 * A list page cut down to a selection of fields ({@link SparseFields}): the weak tag
	 * of the cached JSON marked with the selection, the body projected only when it is
	 * sent.
	 */
	ResponseEntity<byte[]> weaklyTagged(CachedRead<?> read, FieldSelection selection, UnaryOperator<byte[]> projection,
			HttpHeaders request, ServerHttpResponse response) {
		outcome(response, read);
		String etag = "W/\"" + read.digest() + ";" + selection.tag() + "\"";
		return projected(etag, () -> projection.apply(read.json()), request, response);
	}

	/**
	 * A representation of a cached entity other than its cached JSON (a selection of its
	 * fields): 304 when the request has its tag, else the body, built only then.
	 */
	ResponseEntity<byte[]> projected(String etag, Supplier<byte[]> body, HttpHeaders request,
			ServerHttpResponse response) {
		boolean notModified = ifNoneMatchHits(request.getIfNoneMatch(), etag);
		return read(etag, notModified ? null : body.get(), notModified, request, response);
	}

	/** Adds the public caching policy, unless the request carries credentials. */
	private void publicRead(HttpHeaders response, HttpHeaders request) {
		if (this.enabled && !request.containsHeader(HttpHeaders.AUTHORIZATION)) {
			response.set(HttpHeaders.CACHE_CONTROL, this.publicRead);
		}
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
