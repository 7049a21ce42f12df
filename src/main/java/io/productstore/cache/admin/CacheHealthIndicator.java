package io.productstore.cache.admin;

import java.util.LinkedHashMap;
import java.util.Map;

import io.productstore.cache.CacheProperties;
import io.productstore.cache.outage.CacheResilience;
import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code redis} health component, in place of Boot's: {@code UP} while reads are
 * served from Redis, {@code DEGRADED} while they go to MongoDB (breaker open, recovering,
 * or Redis not answering a ping), never {@code DOWN}. {@code DEGRADED} is ordered after
 * {@code UP} ({@code management.endpoint.health.status.order}), so the service stays
 * {@code UP} as a whole while it can serve: an orchestrator must not restart instances
 * because their cache is gone. Details: breaker state, failure and slow-call rates,
 * epoch, journal size.
 */
public final class CacheHealthIndicator implements ReactiveHealthIndicator {

	/** Serving, without Redis. */
	static final Status DEGRADED = new Status("DEGRADED", "Serving from MongoDB only; Redis is bypassed");

	private final CacheResilience resilience;

	private final boolean enabled;

	public CacheHealthIndicator(CacheResilience resilience, CacheProperties properties) {
		this.resilience = resilience;
		this.enabled = properties.enabled();
	}

	@Override
	public Mono<Health> health() {
		if (!this.enabled) {
			return Mono.just(Health.up().withDetail("cache", "disabled").build());
		}
		// Just after startup this waits for the first recovery, like the first reads.
		return this.resilience.whenAvailable(
				() -> this.resilience.ping()
					.map((answered) -> answered ? health(Status.UP, "serving") : health(DEGRADED, "not answering")),
				() -> Mono.just(health(DEGRADED, "bypassed")));
	}

	private Health health(Status status, String cache) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("cache", cache);
		details.put("circuitBreaker", this.resilience.state());
		details.put("failureRate", rate(this.resilience.failureRate()));
		details.put("slowCallRate", rate(this.resilience.slowCallRate()));
		details.put("epoch", this.resilience.epoch());
		details.put("journaledInvalidations", this.resilience.journalSize());
		return Health.status(status).withDetails(details).build();
	}

	/** Resilience4j reports -1 until the window holds the minimum number of calls. */
	private static Object rate(float rate) {
		return (rate < 0) ? "n/a" : rate;
	}

}
