package io.productstore.support;

import java.time.Duration;

import io.productstore.cache.admin.CacheAdministration;
import io.productstore.cache.admin.CacheStats;

import static org.awaitility.Awaitility.await;

/**
 * Waits of the tests that need an instance's near cache: for it to be active (its
 * invalidation subscription up) and for a product to be served from it.
 */
public final class NearCacheWaits {

	private NearCacheWaits() {
	}

	public static void awaitActive(CacheAdministration cache) {
		await().atMost(Duration.ofSeconds(15))
			.until(() -> cache.stats().map(CacheStats::near).block().state().equals("ACTIVE"));
	}

	public static void awaitServedFromMemory(ProductApi api, String id) {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> api.get(id).expectStatus().isOk().expectHeader().valueEquals("X-Cache-Level", "near"));
	}

	/** Until the instance answers 404 for the id from memory (a negative entry). */
	public static void awaitHeldAsMissing(ProductApi api, String id) {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> api.get(id).expectStatus().isNotFound().expectHeader().valueEquals("X-Cache-Level", "near"));
	}

}
