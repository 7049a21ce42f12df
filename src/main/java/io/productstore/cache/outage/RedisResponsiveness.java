package io.productstore.cache.outage;

import java.time.Duration;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Ticker;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Tells an unresponsive Redis from a busy process. How long a call takes, measured here,
 * is Redis's latency plus this process's queueing (the event loop, the connection's
 * command queue, the continuations of other replies), so on a loaded host no threshold on
 * it can tell the two apart: a timeout short enough for a hang opens the breaker under
 * load alone, and sends every read it cuts short to MongoDB.
 * <p>
 * What does tell them apart is whether Redis answers anything. A call that has waited
 * {@code unresponsive-after} while no call of the engine got a reply in that time is
 * failed, and Redis is declared unresponsive (the breaker opens); a call that waits as
 * long while replies keep arriving is queued behind this process's own work, not behind
 * Redis, and keeps waiting (up to the call timeout). The check runs once per window of
 * each waiting call. Silence on the engine's connection is not yet silence from Redis:
 * replies may be waiting, unread, in the socket behind event loops busy with this
 * process's own work (a cold JVM under a burst runs the continuations of replies slowly
 * on them, with Redis answering a separate client's pings within 25 ms). So a check
 * passes no verdict when it runs itself more than half a window late (the whole process
 * stalled), and before it passes one it waits until every event loop has read its sockets
 * once more ({@code roundTrip}), and once more a tenth of a window later: if a round
 * takes longer than a tenth of the window, the loops are busy and the silence is this
 * process's; if both are quick and no reply came meanwhile, Redis is silent. (Commands
 * can wait unwritten behind a busy loop: the first round lets them out, and their replies
 * arrive after it.)
 * <p>
 * One Redis, one connection: with a cluster, a hung node among answering ones is caught
 * by the call timeout only.
 */
final class RedisResponsiveness {

	/**
	 * The checks' own timer thread, shared by every instance in the JVM: on Reactor's
	 * parallel scheduler they would wait behind whatever else runs there under load, and
	 * a check that runs late passes no verdict.
	 */
	static final Scheduler TIMERS = Schedulers.newSingle("redis-responsiveness", true);

	private final Duration window;

	private final long windowNanos;

	private final Scheduler timers;

	private final Ticker clock;

	private final Runnable unresponsive;

	private final Supplier<Mono<Void>> roundTrip;

	private volatile long lastReply;

	/**
	 * Watches the calls of one Redis.
	 * @param unresponsiveAfter how long calls may wait with no reply from Redis at all
	 * @param timers the timers of the checks
	 * @param clock the time they compare
	 * @param roundTrip completes once the event loops that read Redis's replies have read
	 * their sockets again
	 * @param unresponsive run on every verdict (opens the breaker)
	 */
	RedisResponsiveness(Duration unresponsiveAfter, Scheduler timers, Ticker clock, Supplier<Mono<Void>> roundTrip,
			Runnable unresponsive) {
		this.window = unresponsiveAfter;
		this.windowNanos = unresponsiveAfter.toNanos();
		this.timers = timers;
		this.clock = clock;
		this.unresponsive = unresponsive;
		this.roundTrip = roundTrip;
		this.lastReply = now();
	}

	Duration window() {
		return this.window;
	}

	/**
	 * Fails the call with {@link UnresponsiveRedisException} once it has waited a window
	 * in which Redis answered nothing; counts its reply as one.
	 */
	<T> Mono<T> watch(Mono<T> call) {
		return Mono.defer(() -> Mono.firstWithSignal(replies(call), silence(now())));
	}

	/** Counts the call's reply as one, without ever failing it. */
	<T> Mono<T> replies(Mono<T> call) {
		return call.doOnEach((signal) -> this.lastReply = now());
	}

	private <T> Mono<T> silence(long started) {
		return Flux.interval(this.window, this.timers)
			.onBackpressureDrop()
			.filter((tick) -> silent(started, tick))
			.concatMap((tick) -> stillSilent(), 1)
			.filter(Boolean::booleanValue)
			.next()
			// The verdict and everything downstream of the failed call (the breaker's
			// listeners, the fallback, the response) run on a worker: the timer thread
			// is kept for the checks, which pass no verdict when they run late.
			.publishOn(Schedulers.parallel())
			.flatMap((tick) -> {
				this.unresponsive.run();
				return Mono.error(new UnresponsiveRedisException(this.window));
			});
	}

	private boolean silent(long started, long tick) {
		long now = now();
		long due = started + (tick + 1) * this.windowNanos;
		if (now - due > this.windowNanos / 2) {
			return false;
		}
		return now - this.lastReply >= this.windowNanos;
	}

	/**
	 * Whether the event loops came round quickly, twice, a tenth of a window apart, and
	 * no reply came of it: a slow round means they are busy, and the silence is this
	 * process's. Twice, because commands can wait unwritten in the queue of a busy event
	 * loop (measured: a whole second, under a burst on a cold JVM); the first round lets
	 * them out, and their replies come back after it, not during it.
	 */
	private Mono<Boolean> stillSilent() {
		return Mono.defer(() -> {
			long before = this.lastReply;
			return quickRound()
				.flatMap((quick) -> quick
						? Mono.delay(Duration.ofNanos(this.windowNanos / 10), this.timers).then(quickRound())
						: Mono.just(false))
				.map((quick) -> quick && this.lastReply == before);
		});
	}

	private Mono<Boolean> quickRound() {
		return Mono.defer(() -> {
			long asked = now();
			return this.roundTrip.get().then(Mono.fromSupplier(() -> now() - asked <= this.windowNanos / 10));
		});
	}

	private long now() {
		return this.clock.read();
	}

	/** Redis answered nothing while a call waited. */
	static final class UnresponsiveRedisException extends RuntimeException {

		UnresponsiveRedisException(Duration window) {
			super("Redis answered nothing for " + window.toMillis() + " ms while calls waited");
		}

	}

}
