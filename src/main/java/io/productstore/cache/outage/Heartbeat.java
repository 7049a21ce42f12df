package io.productstore.cache.outage;

import java.time.Duration;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the first recovery of {@link CacheResilience} and then its periodic heartbeat
 * while the application context runs, and stops the heartbeat when it stops: a stopped
 * (or paused, as the test framework does with cached contexts) connection factory must
 * not be probed, or the breaker would open for nothing. Default phase: started after, and
 * stopped before, the Redis connection factory.
 */
public final class Heartbeat implements SmartLifecycle {

	private final CacheResilience resilience;

	private final Duration interval;

	private final boolean enabled;

	private volatile Disposable running;

	public Heartbeat(CacheResilience resilience, Duration interval, boolean enabled) {
		this.resilience = resilience;
		this.interval = interval;
		this.enabled = enabled;
	}

	@Override
	public void start() {
		if (!this.enabled || this.running != null) {
			return;
		}
		this.resilience.start();
		this.running = Flux.interval(this.interval)
			.onBackpressureDrop()
			.concatMap((tick) -> this.resilience.heartbeat(), 1)
			.subscribe();
	}

	@Override
	public void stop() {
		Disposable current = this.running;
		if (current != null) {
			current.dispose();
			this.running = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running != null;
	}

}
