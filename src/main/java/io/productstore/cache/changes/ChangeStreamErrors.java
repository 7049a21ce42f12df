package io.productstore.cache.changes;

import java.util.Set;

import com.mongodb.MongoException;

/**
 * Tells the failures of a change stream apart: a server without change streams, a resume
 * point the server can no longer resume from, and everything else (network, timeouts, an
 * election), which reopening with backoff from the same point gets past.
 */
final class ChangeStreamErrors {

	/**
	 * {@code $changeStream} is only supported on replica sets (and unknown before 3.6).
	 */
	private static final Set<Integer> UNSUPPORTED = Set.of(40573, 40324);

	/**
	 * ChangeStreamHistoryLost, ChangeStreamFatalError (the token was not found),
	 * InvalidResumeToken, CappedPositionLost, and the codes of 3.6-4.0 for the resume
	 * point having left the oplog or not being found.
	 */
	private static final Set<Integer> HISTORY_LOST = Set.of(286, 280, 260, 136, 40576, 40585);

	private ChangeStreamErrors() {
	}

	/**
	 * The failure as one of this class's exceptions when it is a server without change
	 * streams or a lost history, else as it is.
	 */
	static Throwable classify(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof MongoException mongo) {
				if (UNSUPPORTED.contains(mongo.getCode())) {
					return new Unsupported(mongo);
				}
				if (HISTORY_LOST.contains(mongo.getCode())) {
					return new HistoryLost(mongo);
				}
			}
		}
		return failure;
	}

	/** The server offers no change streams: following is given up. */
	static final class Unsupported extends RuntimeException {

		Unsupported(MongoException cause) {
			super(cause.getMessage(), cause);
		}

	}

	/** The server cannot resume from the point asked for: the changes since are lost. */
	static final class HistoryLost extends RuntimeException {

		HistoryLost(MongoException cause) {
			super(cause.getMessage(), cause);
		}

	}

	/** The server closed the stream without an error (after an invalidate event). */
	static final class StreamEnded extends RuntimeException {

		StreamEnded(String collection) {
			super("the server closed the change stream of " + collection);
		}

	}

}
