package io.productstore.cache.changes;

import java.util.LinkedHashMap;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code changeStream} health component: {@code UP} while every stream follows (or
 * they are switched off), {@code DEGRADED} while one does not, never {@code DOWN}: the
 * instance then serves as it did without change streams, and an orchestrator must not
 * restart it for that. {@code DEGRADED} ranks after {@code UP}, as for the {@code redis}
 * component.
 */
final class ChangeStreamHealthIndicator implements ReactiveHealthIndicator {

	static final Status DEGRADED = new Status("DEGRADED",
			"Changes made to MongoDB by others are not seen: only writes through this service invalidate the cache");

	private final ChangeStreams streams;

	ChangeStreamHealthIndicator(ChangeStreams streams) {
		this.streams = streams;
	}

	@Override
	public Mono<Health> health() {
		return Mono.fromSupplier(() -> {
			ChangeStreamStats stats = this.streams.stats();
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("state", stats.state());
			details.put("collections", stats.collections());
			details.put("events", stats.events());
			details.put("resumes", stats.resumes());
			details.put("epochBumps", stats.epochBumps());
			details.put("lagP99Millis", stats.lagP99Millis());
			if (stats.problem() != null) {
				details.put("problem", stats.problem());
			}
			return Health.status(this.streams.degraded() ? DEGRADED : Status.UP).withDetails(details).build();
		});
	}

}
