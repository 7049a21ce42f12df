package io.productstore.cache.changes;

import java.time.Instant;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;

import org.springframework.data.mongodb.core.ChangeStreamOptions;

/**
 * Where a change stream (re)opens: after an event, by its resume token, or at a cluster
 * time; stored in Redis as a {@link StoredPosition}.
 *
 * @param token resume after this token; null to start at {@code time}
 * @param time start at this cluster time, inclusively, when there is no token
 * @param position the cluster time of the point as an unsigned number
 */
record ResumePoint(BsonDocument token, BsonTimestamp time, long position) {

	static final int POSITION_DIGITS = 20;

	static ResumePoint after(ChangeEvent event) {
		return new ResumePoint(event.token(), null, event.position());
	}

	static ResumePoint at(BsonTimestamp time) {
		return new ResumePoint(null, time, time.getValue());
	}

	/**
	 * The point just after a cluster time: every change the server makes after it
	 * reported that time (as {@code operationTime}) comes later.
	 */
	static ResumePoint justAfter(BsonTimestamp time) {
		return at(new BsonTimestamp(time.getValue() + 1));
	}

	ChangeStreamOptions options() {
		return (this.token != null) ? ChangeStreamOptions.builder().resumeAfter(this.token).build()
				: ChangeStreamOptions.builder().resumeAt(this.time).build();
	}

	/** The options of a {@code $changeStream} stage that starts at this point. */
	Document stage() {
		return (this.token != null) ? new Document("resumeAfter", this.token)
				: new Document("startAtOperationTime", this.time);
	}

	/** The wall-clock second of the point. */
	Instant instant() {
		return Instant.ofEpochSecond(this.position >>> 32);
	}

	/**
	 * A position as a fixed-width number (20 digits), ordered as strings like the
	 * positions themselves: what Lua compares.
	 */
	static String padded(long position) {
		String digits = Long.toUnsignedString(position);
		return "0".repeat(POSITION_DIGITS - digits.length()) + digits;
	}

}
