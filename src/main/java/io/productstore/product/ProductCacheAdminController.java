package io.productstore.product;

import java.util.Locale;
import java.util.regex.Pattern;

import io.productstore.cache.CacheRegion;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Drops one product from the cache, {@code DELETE /api/cache/products/{id}} (role ADMIN,
 * configured with the rest of security), next to the generic cache administration.
 */
@RestController
@RequestMapping("/api/cache/products")
class ProductCacheAdminController {

	private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-fA-F]{24}");

	private final CacheRegion cache;

	ProductCacheAdminController(CacheRegion productCache) {
		this.cache = productCache;
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	Mono<Void> evictProduct(@PathVariable String id) {
		if (!OBJECT_ID.matcher(id).matches()) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
					"Product id must be 24 hexadecimal characters");
			problem.setTitle("Malformed id");
			return Mono.error(new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null));
		}
		return this.cache.evict(id.toLowerCase(Locale.ROOT));
	}

}
