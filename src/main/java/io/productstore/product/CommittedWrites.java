package io.productstore.product;

import java.util.function.Function;

import io.productstore.cache.CacheRegion;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;

/**
 * Runs a MongoDB write and the cache invalidation that follows it to their end, whatever
 * happens to the request that asked for them.
 * <ul>
 * <li>A client that disconnects cancels the request's pipeline, possibly after MongoDB
 * applied the write: the write and its invalidation run detached from the request, so the
 * cache hears of every committed write.</li>
 * <li>A write whose outcome is unknown (a socket timeout or reset after the command was
 * sent) may have been applied: the product is evicted everywhere and the region's lists
 * and counts made unreachable before the error reaches the caller. Only the errors that
 * prove nothing was written (a version conflict, a duplicate key) leave the cache as it
 * is.</li>
 * </ul>
 */
final class CommittedWrites {

	private final CacheRegion cache;

	CommittedWrites(CacheRegion cache) {
		this.cache = cache;
	}

	/**
	 * The write, detached from the caller's cancellation.
	 * @param <T> what the write returns
	 * @param <R> what the caller gets
	 * @param id the product written, for the eviction on an unknown outcome (null when it
	 * is not known yet)
	 * @param write the MongoDB write
	 * @param invalidation the cache step after a successful write
	 * @return the cache step's result
	 */
	<T, R> Mono<R> run(String id, Mono<T> write, Function<T, Mono<R>> invalidation) {
		Mono<R> whole = write
			.onErrorResume((ex) -> !certainlyNotApplied(ex) && id != null,
					(ex) -> this.cache.invalidate(id).then(Mono.error(ex)))
			.flatMap(invalidation);
		// The caller's context (its request id for the logs) goes with the detached run.
		return Mono.deferContextual((context) -> {
			Mono<R> running = whole.contextWrite(context).cache();
			running.subscribe(null, (ex) -> {
				// The caller gets the error; this subscriber only keeps the run alive.
			});
			return running;
		});
	}

	private static boolean certainlyNotApplied(Throwable ex) {
		return ex instanceof OptimisticLockingFailureException || ex instanceof DuplicateKeyException;
	}

}
