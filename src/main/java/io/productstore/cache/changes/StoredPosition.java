package io.productstore.cache.changes;

import java.time.Instant;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;

/**
 * A region's resume position as stored in Redis, with when an instance last confirmed it
 * current: {@code <position, 20 digits> <confirmed, epoch ms> <token JSON, or {} for a
 * cluster time>}. An instance that follows a quiet collection confirms its point again
 * now and then, so the age that {@code max-replay} limits is the time since anyone knew
 * Redis up to date, not since the last change.
 *
 * @param point where to resume
 * @param confirmedAt when it was last known that every change up to now was applied
 */
record StoredPosition(ResumePoint point, Instant confirmedAt) {

	String encode() {
		String where = (this.point.token() != null) ? this.point.token().toJson() : "{}";
		return ResumePoint.padded(this.point.position()) + " " + this.confirmedAt.toEpochMilli() + " " + where;
	}

	/**
	 * A position as stored.
	 * @param stored the stored form
	 * @return the position, or null if the text is not one (written by someone else)
	 */
	static StoredPosition decode(String stored) {
		String[] parts = stored.split(" ", 3);
		if (parts.length < 3 || parts[0].length() != ResumePoint.POSITION_DIGITS) {
			return null;
		}
		try {
			long position = Long.parseUnsignedLong(parts[0]);
			Instant confirmedAt = Instant.ofEpochMilli(Long.parseLong(parts[1]));
			BsonDocument token = BsonDocument.parse(parts[2]);
			ResumePoint point = token.isEmpty() ? ResumePoint.at(new BsonTimestamp(position))
					: new ResumePoint(token, null, position);
			return new StoredPosition(point, confirmedAt);
		}
		catch (RuntimeException ex) {
			// Not numbers, not JSON or not a document: not written by this service.
			return null;
		}
	}

}
