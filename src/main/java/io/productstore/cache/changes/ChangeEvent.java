package io.productstore.cache.changes;

import java.time.Instant;

import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.UpdateDescription;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.Document;

/**
 * One change of a followed collection, reduced to what invalidation needs.
 *
 * @param effect what it invalidates
 * @param operation the change stream's {@code operationType}, for the meters
 * @param id the document's id as the region knows it (null unless the effect is on one
 * document)
 * @param documentId the document's {@code _id} as MongoDB holds it
 * @param version the document's version after the change, when the event says it
 * @param position the cluster time as one unsigned number: a document's changes come in
 * increasing positions
 * @param time when the change was made ({@code wallTime}, else the cluster time's second)
 * @param token the resume token
 */
record ChangeEvent(Effect effect, String operation, String id, BsonValue documentId, Long version, long position,
		Instant time, BsonDocument token) {

	/**
	 * The event of a change stream document.
	 * @param change the document
	 * @param versionField the field holding the version, or null
	 * @return the event
	 */
	static ChangeEvent of(ChangeStreamDocument<Document> change, String versionField) {
		String operation = change.getOperationTypeString();
		BsonTimestamp clusterTime = change.getClusterTime();
		long position = (clusterTime != null) ? clusterTime.getValue() : 0;
		Instant time = (change.getWallTime() != null) ? Instant.ofEpochMilli(change.getWallTime().getValue())
				: Instant.ofEpochSecond((clusterTime != null) ? clusterTime.getTime() & 0xFFFFFFFFL : 0);
		BsonValue documentId = (change.getDocumentKey() != null) ? change.getDocumentKey().get("_id") : null;
		Effect effect = Effect.of(operation);
		String id = (effect == Effect.CHANGED || effect == Effect.REMOVED) ? regionId(documentId) : null;
		if (id == null && (effect == Effect.CHANGED || effect == Effect.REMOVED)) {
			// A document whose id the region cannot name: only invalidating everything
			// covers it.
			effect = Effect.EVERYTHING;
		}
		return new ChangeEvent(effect, operation, id, documentId, version(change, versionField), position, time,
				change.getResumeToken());
	}

	/**
	 * The id a region knows a document by: an ObjectId as its hex digits, a string or a
	 * number as written; null for any other type.
	 */
	static String regionId(BsonValue documentId) {
		if (documentId == null) {
			return null;
		}
		if (documentId.isObjectId()) {
			return documentId.asObjectId().getValue().toHexString();
		}
		if (documentId.isString()) {
			return documentId.asString().getValue();
		}
		if (documentId.isInt32() || documentId.isInt64()) {
			return Long.toString(documentId.asNumber().longValue());
		}
		return null;
	}

	private static Long version(ChangeStreamDocument<Document> change, String versionField) {
		if (versionField == null) {
			return null;
		}
		if (change.getFullDocument() != null && change.getFullDocument().get(versionField) instanceof Number number) {
			return number.longValue();
		}
		UpdateDescription update = change.getUpdateDescription();
		BsonValue updated = (update != null && update.getUpdatedFields() != null)
				? update.getUpdatedFields().get(versionField) : null;
		return (updated != null && updated.isNumber()) ? updated.asNumber().longValue() : null;
	}

	/** What a change invalidates. */
	enum Effect {

		/** One document was inserted, updated or replaced. */
		CHANGED,

		/** One document was deleted. */
		REMOVED,

		/** The collection was dropped or renamed, or its stream invalidated. */
		EVERYTHING,

		/**
		 * Nothing a cache holds (an index was built, the collection's options changed).
		 */
		NOTHING;

		static Effect of(String operation) {
			return switch (operation) {
				case "insert", "update", "replace" -> CHANGED;
				case "delete" -> REMOVED;
				case "drop", "rename", "dropDatabase", "invalidate" -> EVERYTHING;
				default -> NOTHING;
			};
		}

	}

}
