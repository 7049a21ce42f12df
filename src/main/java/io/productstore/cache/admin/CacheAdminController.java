package io.productstore.cache.admin;

import io.productstore.cache.CacheResilienceProperties;
import io.productstore.cache.CacheUnavailableException;
import io.productstore.cache.changes.ChangeStreams;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Cache administration at {@code /api/cache} (role ADMIN, configured with the rest of
 * security): statistics (with the change stream's state), warm-up and clearing the
 * namespace. Dropping one entry is a feature's route (for products: {@code DELETE
 * /api/cache/products/{id}}).
 */
@RestController
@RequestMapping("/api/cache")
class CacheAdminController {

	private final CacheAdministration cache;

	private final CacheWarmup warmup;

	private final long retryAfterSeconds;

	private final ChangeStreams changeStreams;

	CacheAdminController(CacheAdministration cache, CacheWarmup warmup, CacheResilienceProperties resilience,
			ChangeStreams changeStreams) {
		this.cache = cache;
		this.warmup = warmup;
		this.retryAfterSeconds = Math.max(1, resilience.breaker().waitInOpenState().toSeconds());
		this.changeStreams = changeStreams;
	}

	@GetMapping("/stats")
	Mono<CacheStats> stats() {
		return this.cache.stats().map((stats) -> stats.withChangeStream(this.changeStreams.stats()));
	}

	@PostMapping("/warmup")
	Mono<CacheWarmup.WarmupResult> warmUp() {
		return this.warmup.warmUp();
	}

	/**
	 * Clears the namespace; while Redis cannot be reached (the breaker is open) nothing
	 * can be cleared, and the caller is told to come back once it may be closed again.
	 */
	@DeleteMapping
	Mono<Cleared> clear() {
		return this.cache.clear().map(Cleared::new).onErrorMap(CacheUnavailableException.class, this::unavailable);
	}

	private ErrorResponseException unavailable(CacheUnavailableException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"Redis cannot be reached, so the cache cannot be cleared now; retry once it answers again");
		problem.setTitle("Cache unavailable");
		ErrorResponseException error = new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, ex);
		error.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(this.retryAfterSeconds));
		return error;
	}

	/**
	 * The response of {@code DELETE /api/cache}.
	 *
	 * @param removed the keys removed from this namespace
	 */
	record Cleared(long removed) {

	}

}
