package io.productstore.cache.changes;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Invalidation from MongoDB's change stream, under {@code app.cache.change-stream}.
 *
 * @param enabled follow the change stream of every collection a region caches (off: only
 * writes through this service invalidate, as before)
 * @param batchSize events applied together at most: one Redis script per changed item,
 * one generation bump per region
 * @param batchWindow how long a batch waits for more events after its first one: the lag
 * it adds when writes are rare
 * @param maxReplay a resume position older than this is not replayed after a restart: the
 * epoch is bumped instead (replaying it could take longer than serving from MongoDB)
 * @param retry reopening a stream that failed
 */
@ConfigurationProperties("app.cache.change-stream")
record ChangeStreamProperties(@DefaultValue("true") boolean enabled, @DefaultValue("500") int batchSize,
		@DefaultValue("5ms") Duration batchWindow, @DefaultValue("60s") Duration maxReplay, @DefaultValue Retry retry) {

	/**
	 * Backoff between attempts to reopen a failed stream, reset once it delivers again.
	 *
	 * @param firstBackoff the first delay
	 * @param maxBackoff the longest delay
	 */
	record Retry(@DefaultValue("100ms") Duration firstBackoff, @DefaultValue("5s") Duration maxBackoff) {

	}

}
