package io.productstore.cache.changes;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;

/**
 * This instance's change stream followers, one per collection a region caches, started
 * and stopped with the application context (so a paused test context stops following
 * too); their stats and health. Started before the web server, and the start waits (a
 * bounded time) until each stream knows where it starts: a restart whose resume position
 * the server has lost bumps the epoch before a first request can read an entry from the
 * gap.
 */
public final class ChangeStreams implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ChangeStreams.class);

	/** After Lettuce's connection factory (phase 0), before the web server. */
	private static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	/**
	 * Longer than a first recovery plus MongoDB's server selection timeout: a MongoDB
	 * that cannot be reached by then does not hold the application's start up.
	 */
	private static final Duration STARTUP_WAIT = Duration.ofSeconds(10);

	private final List<ChangeStreamFollower> followers;

	private final boolean enabled;

	private volatile boolean running;

	ChangeStreams(List<ChangeStreamFollower> followers, boolean enabled) {
		this.followers = followers;
		this.enabled = enabled;
		if (!enabled) {
			followers.forEach(ChangeStreamFollower::disabled);
		}
	}

	@Override
	public void start() {
		if (this.enabled && !this.followers.isEmpty()) {
			this.followers.forEach(ChangeStreamFollower::start);
			// Start-up, not a request path: the one wait of this kind.
			Mono.when(this.followers.stream().map(ChangeStreamFollower::settled).toList())
				.timeout(STARTUP_WAIT)
				.onErrorResume(TimeoutException.class, (ex) -> {
					logger.warn("The change streams did not open within " + STARTUP_WAIT.toSeconds()
							+ " s; starting anyway, they keep trying in the background");
					return Mono.empty();
				})
				.block();
		}
		this.running = true;
	}

	@Override
	public void stop() {
		if (this.enabled) {
			this.followers.forEach(ChangeStreamFollower::stop);
		}
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * The state of this instance's streams.
	 * @return the stats
	 */
	public ChangeStreamStats stats() {
		StreamState state = this.enabled ? worstState() : StreamState.DISABLED;
		return new ChangeStreamStats(state.name(),
				this.followers.stream().map((follower) -> follower.source().collection()).toList(),
				sum((follower) -> follower.metrics().events()), sum((follower) -> follower.metrics().invalidations()),
				sum((follower) -> follower.metrics().resumes()), sum((follower) -> follower.metrics().epochBumps()),
				lagP99Millis(),
				this.followers.stream()
					.map((follower) -> follower.status().lastChangeAt())
					.filter(Objects::nonNull)
					.max(Comparator.naturalOrder())
					.orElse(null),
				this.followers.stream()
					.map((follower) -> follower.status().problem())
					.filter(Objects::nonNull)
					.findFirst()
					.orElse(null));
	}

	/** Whether this instance may be missing changes made by others. */
	boolean degraded() {
		return this.enabled && worstState().degraded();
	}

	private StreamState worstState() {
		return this.followers.stream()
			.map((follower) -> follower.status().state())
			.max(Comparator.comparing(StreamState::degraded))
			.orElse(StreamState.DISABLED);
	}

	private long sum(ToLongFunction<ChangeStreamFollower> value) {
		return this.followers.stream().mapToLong(value).sum();
	}

	private double lagP99Millis() {
		double worst = 0;
		for (ChangeStreamFollower follower : this.followers) {
			for (ValueAtPercentile percentile : follower.metrics().lagTimer().takeSnapshot().percentileValues()) {
				if (percentile.percentile() == 0.99) {
					worst = Math.max(worst, percentile.value(TimeUnit.MILLISECONDS));
				}
			}
		}
		return worst;
	}

}
