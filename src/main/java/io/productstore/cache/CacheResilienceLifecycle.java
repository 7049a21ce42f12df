package io.productstore.cache;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the first recovery and the heartbeat of {@link CacheResilience} while the
 * application context runs, and stops the heartbeat when it stops: a stopped (or paused,
 * as the test framework does with cached contexts) connection factory must not be probed,
 * or the breaker would open for nothing. Default phase: started after, and stopped
 * before, the Redis connection factory.
 */
class CacheResilienceLifecycle implements SmartLifecycle {

	private final CacheResilience resilience;

	private volatile boolean running;

	CacheResilienceLifecycle(CacheResilience resilience) {
		this.resilience = resilience;
	}

	@Override
	public void start() {
		this.resilience.start();
		this.running = true;
	}

	@Override
	public void stop() {
		this.resilience.stop();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
