package io.productstore.cache.changes;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.productstore.cache.CollectionChanges;
import io.productstore.cache.changes.ChangeStreamErrors.HistoryLost;
import io.productstore.cache.outage.CacheResilience;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.bson.BsonTimestamp;
import reactor.core.publisher.Mono;

/**
 * Where each session of a collection's change stream starts, in this order: afresh if the
 * server could not resume the last one; where this instance stopped (a reconnect); the
 * position shared in Redis (a restart), unless older than {@code max-replay} or the
 * server cannot resume from it; else now. Starting afresh while the cache may hold
 * entries older than the gap makes the recovery bump the epoch first, and the point is
 * taken before the bump, so no change falls between the two. A point from Redis is tried
 * on the server first ({@code probe}), which also finds a server without change streams
 * before anything is bumped.
 */
final class StartPoints {

	private static final Log logger = LogFactory.getLog(StartPoints.class);

	private final CollectionChanges source;

	private final Duration maxReplay;

	private final ResumePositions positions;

	private final CacheResilience resilience;

	private final ChangeStreamMetrics metrics;

	private final Function<ResumePoint, Mono<Void>> probe;

	private final AtomicReference<ResumePoint> current = new AtomicReference<>();

	private final AtomicReference<String> lost = new AtomicReference<>();

	/**
	 * The start points of one collection's stream.
	 * @param source the collection and its region
	 * @param maxReplay how old a stored position may be
	 * @param positions the positions shared in Redis
	 * @param resilience where an epoch bump is asked for
	 * @param metrics where bumps are counted
	 * @param probe opens and closes a stream at a point: fails as opening the stream
	 * would
	 */
	StartPoints(CollectionChanges source, Duration maxReplay, ResumePositions positions, CacheResilience resilience,
			ChangeStreamMetrics metrics, Function<ResumePoint, Mono<Void>> probe) {
		this.source = source;
		this.maxReplay = maxReplay;
		this.positions = positions;
		this.resilience = resilience;
		this.metrics = metrics;
		this.probe = probe;
	}

	/**
	 * Where the next session starts.
	 * @param now the server's cluster time, taken before anything is decided
	 * @return the point
	 */
	Mono<ResumePoint> next(BsonTimestamp now) {
		String reason = this.lost.getAndSet(null);
		if (reason != null) {
			return Mono.just(afresh(now, "history-lost", reason));
		}
		ResumePoint point = this.current.get();
		if (point != null) {
			return Mono.just(point);
		}
		return this.resilience.afterFirstRecovery(this.positions.load(this.source.region()))
			.flatMap((stored) -> restart(stored, now))
			.switchIfEmpty(Mono.defer(() -> firstStart(now)));
	}

	/** The stream has applied everything up to this point. */
	void applied(ResumePoint point) {
		this.current.set(point);
	}

	/** Where the stream stands now, null before a first start. */
	ResumePoint current() {
		return this.current.get();
	}

	/** The server cannot resume from the last point: the next session starts afresh. */
	void lost(String reason) {
		this.lost.set(reason);
	}

	private Mono<ResumePoint> restart(StoredPosition stored, BsonTimestamp now) {
		if (tooOld(stored, now)) {
			return Mono.just(afresh(now, "resume-position-too-old", "the stored resume position (last confirmed "
					+ stored.confirmedAt() + ") is older than app.cache.change-stream.max-replay"));
		}
		return this.probe.apply(stored.point())
			.onErrorMap(ChangeStreamErrors::classify)
			.then(Mono.fromSupplier(() -> start(stored.point())))
			.onErrorResume(HistoryLost.class, (ex) -> Mono.just(afresh(now, "history-lost",
					"the server cannot resume from the stored position (" + ex.getMessage() + ")")));
	}

	/**
	 * No position stored: nothing to be stale if nothing is cached (a first start), else
	 * entries of unknown age may be (the position was cleared, or an older version of the
	 * service cached them without following the stream).
	 */
	private Mono<ResumePoint> firstStart(BsonTimestamp now) {
		ResumePoint present = ResumePoint.justAfter(now);
		return this.probe.apply(present)
			.onErrorMap(ChangeStreamErrors::classify)
			.then(Mono.defer(() -> this.positions.regionEmpty(this.resilience.keys(), this.source.region())))
			.map((empty) -> {
				if (!empty) {
					return afresh(now, "no-resume-position", "no resume position is stored");
				}
				logger.info("Change stream of " + this.source.collection() + " starts at cluster time " + now
						+ ": no resume position is stored and nothing is cached");
				return start(present);
			});
	}

	private ResumePoint afresh(BsonTimestamp now, String tag, String reason) {
		this.metrics.epochBump(tag);
		logger.warn("Change stream of " + this.source.collection() + " starts afresh at cluster time " + now + ": "
				+ reason + "; the cache epoch is bumped before Redis serves again");
		this.resilience.missedUnknown("change stream of " + this.source.collection() + ": " + reason);
		return start(ResumePoint.justAfter(now));
	}

	private ResumePoint start(ResumePoint point) {
		this.current.set(point);
		return point;
	}

	private boolean tooOld(StoredPosition stored, BsonTimestamp now) {
		Instant serverNow = Instant.ofEpochSecond(now.getTime() & 0xFFFFFFFFL);
		return Duration.between(stored.confirmedAt(), serverNow).compareTo(this.maxReplay) > 0;
	}

}
