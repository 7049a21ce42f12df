package io.productstore.ratelimit;

import java.util.concurrent.atomic.AtomicReference;

import io.productstore.cache.CacheAvailabilityChanged;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.event.EventListener;

/**
 * Where the limiter takes tokens from: the buckets shared in Redis, or this instance's
 * own. It follows the cache's signal ({@link CacheAvailabilityChanged}) instead of
 * judging Redis by the limiter's own calls, so the limiter and the cache never disagree
 * for long and the limiter cannot change the cache's state.
 * <p>
 * Before the first event, the startup warm-up decides. The cache bypasses Redis until its
 * first recovery at startup and announces availability when that succeeds, which takes a
 * few round trips: starting {@code SHARED} when the warm-up reached Redis keeps those
 * first requests counted across instances; starting {@code LOCAL} when it did not keeps
 * them from each waiting for a Redis that is down. (Should the cache's first recovery
 * fail after a successful warm-up, no event comes, since the cache never was available:
 * requests then fall back one by one until the cache reports Redis back.) With the cache
 * disabled no event ever comes, so the source stays {@code SHARED} and each request falls
 * back on its own: an outage then costs at most the limiter's timeout per request, and
 * nothing while Lettuce refuses commands at once on a lost connection.
 */
final class BucketSource {

	private static final Log logger = LogFactory.getLog(BucketSource.class);

	private final boolean followsCache;

	private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);

	/**
	 * Create a source in state {@code STARTING}.
	 * @param cacheEnabled whether the cache runs ({@code app.cache.enabled}), and so
	 * publishes availability events
	 */
	BucketSource(boolean cacheEnabled) {
		this.followsCache = cacheEnabled;
	}

	State state() {
		return this.state.get();
	}

	/**
	 * Whether tokens come from the shared buckets now.
	 * @return {@code false} while the cache reports Redis unavailable
	 */
	boolean shared() {
		return state() != State.LOCAL;
	}

	/**
	 * The startup warm-up's outcome; ignored once the cache has spoken.
	 * @param failure why the warm-up could not take a token from Redis, or {@code null}
	 */
	void warmedUp(Throwable failure) {
		State next = (failure != null && this.followsCache) ? State.LOCAL : State.SHARED;
		if (this.state.compareAndSet(State.STARTING, next) && failure != null) {
			logger.warn("Redis is unreachable at startup (" + describe(failure) + "): "
					+ (this.followsCache ? "rate limits are counted per instance until the cache reports it available"
							: "with the cache disabled, each request that Redis fails is counted per instance"));
		}
	}

	@EventListener
	void cacheAvailabilityChanged(CacheAvailabilityChanged event) {
		State previous = this.state.getAndSet(event.available() ? State.SHARED : State.LOCAL);
		if (previous.shared() && !event.available()) {
			logger.warn("The cache reports Redis unavailable (" + event.reason()
					+ "): rate limits are counted per instance until it is available again");
		}
		else if (!previous.shared() && event.available()) {
			logger.info("The cache reports Redis available again (" + event.reason()
					+ "): rate limits are shared across instances again");
		}
	}

	private static String describe(Throwable ex) {
		return ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
	}

	/**
	 * The states; every transition is a method of {@link BucketSource}.
	 */
	enum State {

		/**
		 * Before the startup warm-up and any event: as {@link #SHARED}.
		 */
		STARTING,

		/**
		 * Redis is available: shared buckets. A request whose call fails or is late is
		 * answered by its local bucket, and the state stays.
		 */
		SHARED,

		/**
		 * The cache reports Redis unavailable: local buckets only, no Redis call.
		 */
		LOCAL;

		boolean shared() {
			return this != LOCAL;
		}

	}

}
