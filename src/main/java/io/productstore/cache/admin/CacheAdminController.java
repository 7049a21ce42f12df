package io.productstore.cache.admin;

import io.productstore.cache.changes.ChangeStreams;
import reactor.core.publisher.Mono;

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

	private final ChangeStreams changeStreams;

	CacheAdminController(CacheAdministration cache, CacheWarmup warmup, ChangeStreams changeStreams) {
		this.cache = cache;
		this.warmup = warmup;
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

	@DeleteMapping
	Mono<Cleared> clear() {
		return this.cache.clear().map(Cleared::new);
	}

	/**
	 * The response of {@code DELETE /api/cache}.
	 *
	 * @param removed the keys removed from this namespace
	 */
	record Cleared(long removed) {

	}

}
