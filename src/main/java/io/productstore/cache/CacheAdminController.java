package io.productstore.cache;

import java.util.Locale;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Cache administration at {@code /api/cache} (role ADMIN, configured with the rest of
 * security): statistics, warm-up, clearing the namespace and dropping one product.
 */
@RestController
@RequestMapping("/api/cache")
class CacheAdminController {

	private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-fA-F]{24}");

	private final ReadThroughCache cache;

	private final CacheWarmup warmup;

	CacheAdminController(ReadThroughCache cache, CacheWarmup warmup) {
		this.cache = cache;
		this.warmup = warmup;
	}

	@GetMapping("/stats")
	Mono<CacheStats> stats() {
		return this.cache.stats();
	}

	@PostMapping("/warmup")
	Mono<CacheWarmup.WarmupResult> warmUp() {
		return this.warmup.warmUp();
	}

	@DeleteMapping
	Mono<Cleared> clear() {
		return this.cache.clear().map(Cleared::new);
	}

	@DeleteMapping("/products/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	Mono<Void> evictProduct(@PathVariable String id) {
		if (!OBJECT_ID.matcher(id).matches()) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
					"Product id must be 24 hexadecimal characters");
			problem.setTitle("Malformed id");
			return Mono.error(new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null));
		}
		return this.cache.evict("product", id.toLowerCase(Locale.ROOT));
	}

	/**
	 * The response of {@code DELETE /api/cache}.
	 *
	 * @param removed the keys removed from this namespace
	 */
	record Cleared(long removed) {

	}

}
