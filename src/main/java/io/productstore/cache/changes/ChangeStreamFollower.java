package io.productstore.cache.changes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.productstore.cache.CollectionChanges;
import io.productstore.cache.changes.ChangeStreamErrors.HistoryLost;
import io.productstore.cache.changes.ChangeStreamErrors.StreamEnded;
import io.productstore.cache.changes.ChangeStreamErrors.Unsupported;
import io.productstore.cache.outage.CacheResilience;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/**
 * Follows one collection's change stream for its region while the application runs. Each
 * session asks the server for its cluster time (which also proves it reachable), picks
 * where to start ({@link StartPoints}), opens the stream there and applies its changes in
 * batches, in order, moving the resume point after each. A failure reopens it with
 * backoff from the same point; a point the server cannot resume from starts it afresh
 * with an epoch bump; a server without change streams stops it for good.
 */
final class ChangeStreamFollower {

	private static final Log logger = LogFactory.getLog(ChangeStreamFollower.class);

	/**
	 * Batches applied at the same time: their order does not matter to Redis (an older
	 * change of an entry finds a later one applied and is skipped), and a burst is not
	 * held up behind the round trips of one batch. The resume point still moves in order.
	 */
	private static final int APPLY_CONCURRENCY = 4;

	/**
	 * How often the shared position is written during a burst: a restart replays at most
	 * this much, which costs a few evictions, not a Redis round trip per batch.
	 */
	private static final Duration SHARE_EVERY = Duration.ofMillis(100);

	private final CollectionChanges source;

	private final ChangeStreamProperties properties;

	private final CollectionStream stream;

	private final ChangeInvalidator invalidator;

	private final ResumePositions positions;

	private final CacheResilience resilience;

	private final ChangeStreamMetrics metrics;

	private final StreamStatus status;

	private final Clock clock;

	private final StartPoints starts;

	private final Sinks.Empty<Void> settled = Sinks.empty();

	private volatile Instant lastShared = Instant.EPOCH;

	private volatile Disposable running;

	ChangeStreamFollower(CollectionChanges source, ChangeStreamProperties properties, ReactiveMongoTemplate mongo,
			ChangeInvalidator invalidator, ResumePositions positions, CacheResilience resilience,
			ChangeStreamMetrics metrics, Clock clock) {
		this.source = source;
		this.properties = properties;
		this.stream = new CollectionStream(source, mongo, clock);
		this.invalidator = invalidator;
		this.positions = positions;
		this.resilience = resilience;
		this.metrics = metrics;
		this.starts = new StartPoints(source, properties.maxReplay(), positions, resilience, metrics,
				this.stream::probe);
		this.status = new StreamStatus(source.collection());
		this.clock = clock;
	}

	synchronized void start() {
		if (this.running != null) {
			return;
		}
		this.status.starting();
		ChangeStreamProperties.Retry retry = this.properties.retry();
		this.running = Flux.defer(this::session)
			.retryWhen(Retry.backoff(Long.MAX_VALUE, retry.firstBackoff())
				.maxBackoff(retry.maxBackoff())
				.transientErrors(true)
				.filter((ex) -> !(ex instanceof Unsupported)))
			.subscribe(null, this.status::unsupported);
	}

	/**
	 * Completes once the first session has decided where to start (and so whether the
	 * epoch must be bumped first) or has failed: until then Redis may hold entries the
	 * stream has not invalidated yet.
	 */
	Mono<Void> settled() {
		return this.settled.asMono();
	}

	synchronized void stop() {
		if (this.running != null) {
			this.running.dispose();
			this.running = null;
		}
		this.status.stopped();
	}

	void disabled() {
		this.status.disabled();
	}

	StreamStatus status() {
		return this.status;
	}

	ChangeStreamMetrics metrics() {
		return this.metrics;
	}

	CollectionChanges source() {
		return this.source;
	}

	/** One cursor's life: it ends with the error that closed it. */
	private Flux<ChangeBatch> session() {
		return this.stream.serverTime()
			.flatMap(this.starts::next)
			.doOnNext((point) -> this.settled.tryEmitEmpty())
			.flatMapMany(this::follow)
			.onErrorMap(ChangeStreamErrors::classify)
			.doOnError((ex) -> {
				this.settled.tryEmitEmpty();
				if (ex instanceof HistoryLost) {
					this.starts.lost("history lost (" + ex.getMessage() + ")");
				}
				else if (!(ex instanceof Unsupported)) {
					this.status.failed(ex);
				}
			});
	}

	private Flux<ChangeBatch> follow(ResumePoint from) {
		if (from.token() != null) {
			this.metrics.resumed();
		}
		return this.stream.changes(from)
			.doOnSubscribe((subscription) -> this.status.following(from))
			.doOnNext(this.metrics::received)
			.bufferTimeout(this.properties.batchSize(), this.properties.batchWindow(), true)
			.flatMapSequential(this::apply, APPLY_CONCURRENCY, 1)
			.concatMap(this::applied, 1)
			.mergeWith(confirmations())
			.concatWith(Mono.error(() -> new StreamEnded(this.source.collection())));
	}

	private Mono<ChangeBatch> apply(List<ChangeEvent> events) {
		ChangeBatch batch = ChangeBatch.of(events);
		return this.stream.versions(batch.versionsToLookUp())
			.map(batch::withVersions)
			.flatMap((complete) -> this.invalidator.apply(this.source.region(), complete, this.metrics)
				.thenReturn(complete))
			.doOnNext((applied) -> {
				Instant now = this.clock.instant();
				events.forEach((event) -> this.metrics.lag(Duration.between(event.time(), now)));
			});
	}

	/** Moves the resume point past a batch once every batch before it is applied too. */
	private Mono<ChangeBatch> applied(ChangeBatch batch) {
		ResumePoint next = ResumePoint.after(batch.last());
		this.starts.applied(next);
		this.status.applied(batch.last().time());
		return share(next).thenReturn(batch);
	}

	/**
	 * While the stream is open, shares where it stands again now and then, also when
	 * nothing changes: the stored position stays young enough to be replayed after a
	 * restart (see {@link StoredPosition}).
	 */
	private Flux<ChangeBatch> confirmations() {
		return Flux.interval(this.properties.maxReplay().dividedBy(4)).onBackpressureDrop().concatMap((tick) -> {
			ResumePoint current = this.starts.current();
			return (current != null) ? share(current) : Mono.<Void>empty();
		}).thenMany(Flux.empty());
	}

	/**
	 * Shares the point once Redis holds everything before it: not while invalidations
	 * wait in the journal, which dies with this instance. At most every
	 * {@link #SHARE_EVERY}; the first batch after a quiet spell always.
	 */
	private Mono<Void> share(ResumePoint next) {
		Instant now = this.clock.instant();
		if (!this.resilience.available() || now.isBefore(this.lastShared.plus(SHARE_EVERY))) {
			return Mono.empty();
		}
		this.lastShared = now;
		return this.positions.advance(this.source.region(), new StoredPosition(next, now)).onErrorResume((ex) -> {
			logger.debug("Could not store the change stream position of " + this.source.collection(), ex);
			return Mono.empty();
		});
	}

}
