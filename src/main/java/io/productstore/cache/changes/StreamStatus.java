package io.productstore.cache.changes;

import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Where one collection's change stream stands, with the moves of {@link StreamState}
 * checked and logged: a failure once at WARN, its repetitions at DEBUG until the stream
 * follows again, so a long MongoDB outage writes two lines, not one per retry.
 */
final class StreamStatus {

	private static final Log logger = LogFactory.getLog(StreamStatus.class);

	private final String collection;

	private StreamState state = StreamState.STOPPED;

	private String problem;

	private Instant lastChangeAt;

	StreamStatus(String collection) {
		this.collection = collection;
	}

	synchronized StreamState state() {
		return this.state;
	}

	/** Why the stream is not following, if it is not. */
	synchronized String problem() {
		return this.problem;
	}

	/** When the last applied change was made in MongoDB. */
	synchronized Instant lastChangeAt() {
		return this.lastChangeAt;
	}

	void disabled() {
		moveTo(StreamState.DISABLED, null);
	}

	void starting() {
		moveTo(StreamState.STARTING, null);
	}

	void following(ResumePoint from) {
		StreamState before = moveTo(StreamState.FOLLOWING, null);
		if (before != StreamState.FOLLOWING) {
			logger.info("Following the change stream of " + this.collection + " from "
					+ ((from.token() != null) ? "its resume token" : "cluster time " + from.time()) + " ("
					+ from.instant() + ")");
		}
	}

	void failed(Throwable failure) {
		StreamState before = moveTo(StreamState.RESUMING, failure.getMessage());
		String message = "Change stream of " + this.collection + " failed, reopening it from where it stopped: "
				+ failure.getMessage();
		if (before == StreamState.RESUMING) {
			logger.debug(message);
		}
		else {
			logger.warn(message + " (further failures are logged at DEBUG until it follows again)");
		}
	}

	void unsupported(Throwable failure) {
		moveTo(StreamState.UNSUPPORTED, failure.getMessage());
		logger.warn("MongoDB offers no change streams (" + failure.getMessage() + "; a standalone server, not a "
				+ "replica set): only writes through this service invalidate the cache, as without "
				+ "app.cache.change-stream; changes made by others stay cached up to app.cache.ttl.*");
	}

	void stopped() {
		moveTo(StreamState.STOPPED, null);
	}

	synchronized void applied(Instant changeTime) {
		this.lastChangeAt = changeTime;
	}

	private synchronized StreamState moveTo(StreamState next, String problem) {
		StreamState before = this.state;
		if (before != next && !before.canMoveTo(next)) {
			logger.debug("Change stream of " + this.collection + ": ignored a move from " + before + " to " + next);
			return before;
		}
		this.state = next;
		this.problem = problem;
		return before;
	}

}
