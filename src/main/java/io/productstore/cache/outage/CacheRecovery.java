package io.productstore.cache.outage;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.productstore.cache.CacheMetrics;
import io.productstore.cache.outage.RecoveryState.Event;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

/**
 * Makes Redis safe to read from again before the engine does, one recovery at a time:
 * decides when a recovery runs, which {@link RecoverySteps} it runs, and what its end
 * leads to.
 *
 * <h2>Implementation notes</h2>
 *
 * <p>
 * <b>States.</b> The recovery is in one {@link RecoveryState}; {@link RecoveryState#on}
 * holds every transition: <pre>
 * from                                 on       go to
 * NEW                                  START    FIRST_RECOVERY
 * RECOVERED                            START    RECOVERING
 * FAILED                               START    RETRYING
 * FIRST_RECOVERY, RECOVERING, RETRYING SUCCESS  RECOVERED
 * FIRST_RECOVERY, RECOVERING, RETRYING FAILURE  FAILED
 * </pre> Every other pair is a bug and throws. The state moves under this object's lock,
 * together with {@code running}, so a run starts and ends exactly once.
 *
 * <p>
 * <b>One run at a time.</b> {@link #recover()} starts a run unless one is running; a
 * caller that finds one joins it (the run is a cached {@code Mono}, subscribed at once,
 * and kept in {@code running} from its start until after it has ended). A joining call
 * also asks for one more run ({@code again}): when the run has ended with the cache still
 * unavailable and the breaker not open, one more starts at once. That covers an
 * invalidation missed after the run's last look at the journal but before it let go of
 * {@code running}; with the breaker open, its half-open starts the next run instead.
 *
 * <p>
 * <b>What starts a run.</b> The application's start (the first recovery, which the first
 * reads and writes wait for: the keys depend on the epoch); a missed invalidation unless
 * the breaker is open; the breaker half-opening; a heartbeat that finds the cache
 * unavailable with no run and the breaker not open, or a new {@code run_id}.
 *
 * <p>
 * <b>How a run ends.</b> It never fails its callers. SUCCESS: the cache is available and
 * the breaker closed. FAILURE: counted as a cache error, logged, the breaker opened (the
 * request path stops calling Redis; the half-open starts the next run), and what the run
 * took from the journal put back. A failure is logged at WARN unless the run before
 * failed too (RETRYING), then at DEBUG: an outage logs one warning however many
 * half-opens it lasts.
 *
 * <p>
 * <b>When a run bumps the epoch</b> ({@link RecoverySteps}): when the {@code run_id}
 * differs from the one of this instance's last replay, or from the one the last recovery
 * of any instance recorded in Redis ({@code <prefix>runids}, kept with Redis's data, so a
 * Redis back from its AOF brings the old one back with it); when the journal overflowed;
 * or when the cache was unavailable longer than {@code epoch-bump-after} and a recovery
 * has ended before ({@link RecoveryState#attempted()}: the first recovery's "outage" is
 * the time since startup). So a first recovery trusts Redis only if it is the server the
 * instances last saw, or a fresh one (no record, and no data).
 */
final class CacheRecovery {

	private static final Log logger = LogFactory.getLog(CacheRecovery.class);

	private final RecoverySteps steps;

	private final CacheAvailability availability;

	private final CacheCircuitBreaker breaker;

	private final CacheMetrics metrics;

	private volatile RecoveryState state = RecoveryState.NEW;

	// The state, the running run and the request for one more change under this
	// object's lock; state and running are read without it.
	private volatile Mono<Void> running;

	private boolean again;

	// Set when the application context closes: a breaker that half-opens after that
	// (Resilience4j's own timer thread) would start a recovery over closed connections.
	private volatile boolean stopped;

	CacheRecovery(RecoverySteps steps, CacheAvailability availability, CacheCircuitBreaker breaker,
			CacheMetrics metrics) {
		this.steps = steps;
		this.availability = availability;
		this.breaker = breaker;
		this.metrics = metrics;
	}

	RecoveryState state() {
		return this.state;
	}

	/** Whether a recovery has run to its end once (successfully or not). */
	boolean attempted() {
		return this.state.attempted();
	}

	/**
	 * Starts a recovery, or joins the one running; never fails.
	 * @return completion of the recovery
	 */
	Mono<Void> recover() {
		Mono<Void> run;
		synchronized (this) {
			if (this.stopped) {
				return Mono.empty();
			}
			if (this.running != null) {
				this.again = true;
				return this.running;
			}
			boolean attempted = this.state.attempted();
			this.state = this.state.on(Event.START);
			this.again = false;
			run = Mono.defer(() -> this.steps.recover(attempted))
				.thenReturn(Event.SUCCESS)
				.onErrorResume((ex) -> Mono.fromSupplier(() -> failed(ex)))
				.doOnNext(this::ended)
				.then()
				.doFinally((signal) -> released())
				.cache();
			this.running = run;
		}
		// Outside the lock: a Redis that answers at once runs the whole recovery, its
		// availability listeners included, on this thread.
		run.subscribe();
		return run;
	}

	/** No recovery starts from now on: the application is shutting down. */
	synchronized void stop() {
		this.stopped = true;
	}

	/**
	 * The periodic check: an unavailable cache whose breaker is not open gets a recovery;
	 * an available one is checked for a restarted Redis or a new epoch.
	 */
	Mono<Void> heartbeat() {
		if (!this.availability.available()) {
			boolean idle = this.running == null && !breakerOpen();
			return idle ? recover() : Mono.empty();
		}
		return this.steps.check()
			.flatMap((restarted) -> restarted ? recover() : Mono.<Void>empty())
			.onErrorResume((ex) -> Mono.empty());
	}

	/** An invalidation was journaled: recover now, unless the half-open will. */
	void missed() {
		if (!breakerOpen()) {
			recover();
		}
	}

	/** The breaker opened (Redis is failing: bypass it) or half-opened (try again). */
	void breakerMoved(CircuitBreaker.State state) {
		if (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN) {
			this.availability.unavailable("circuit breaker " + CacheCircuitBreaker.NAME + " opened");
		}
		else if (state == CircuitBreaker.State.HALF_OPEN) {
			recover();
		}
	}

	private Event failed(Throwable ex) {
		this.metrics.error();
		String message = "Cache recovery failed, retrying when the circuit breaker half-opens: " + ex.getMessage();
		if (this.state.warnsOnFailure()) {
			logger.warn(message + " (further failures are logged at DEBUG until it succeeds)");
		}
		else {
			logger.debug(message);
		}
		this.breaker.open();
		return Event.FAILURE;
	}

	private synchronized void ended(Event event) {
		this.state = this.state.on(event);
	}

	private void released() {
		boolean rerun;
		synchronized (this) {
			this.running = null;
			rerun = this.again && !this.availability.available() && !breakerOpen();
			if (rerun) {
				this.again = false;
			}
		}
		if (rerun) {
			recover();
		}
	}

	private boolean breakerOpen() {
		return this.breaker.state() == CircuitBreaker.State.OPEN;
	}

}
