package io.productstore.embedded;

import java.time.Instant;
import java.util.List;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;

/**
 * One write recorded by {@link ChangeStreamOplog}, and the change stream events it stands
 * for, in the shape a replica set reports them ({@code _id._data} is the resume token,
 * the hexadecimal timestamp).
 *
 * @param timestamp the cluster time: seconds since the epoch in the high 32 bits, a
 * counter in the low ones
 * @param wallTime when it was recorded
 * @param operation what happened
 * @param namespace {@code <database>.<collection>}
 * @param id the document's {@code _id}, null for a dropped collection
 * @param fullDocument the inserted document; null for every other operation (a replica
 * set also sends the replacement of a replace, which would keep every replaced document
 * in memory here)
 */
record OplogEntry(long timestamp, Instant wallTime, Operation operation, String namespace, Object id,
		Document fullDocument) {

	/**
	 * Whether a cursor opened on a namespace reports this entry: its collection, or any
	 * collection of its database for a database-level stream ({@code aggregate: 1}).
	 */
	boolean concerns(String watched) {
		if (watched.equals(this.namespace)) {
			return true;
		}
		return databaseLevel(watched) && database(watched).equals(database(this.namespace));
	}

	/**
	 * The events a cursor on the namespace reports: one, or for a dropped collection the
	 * {@code drop} and, on a collection-level stream, the {@code invalidate} that ends
	 * it.
	 */
	List<Document> events(String watched) {
		Document event = base(this.operation.type);
		if (this.id != null) {
			event.append("documentKey", new Document("_id", this.id));
		}
		if (this.fullDocument != null) {
			event.append("fullDocument", this.fullDocument);
		}
		if (this.operation == Operation.DROP && !databaseLevel(watched)) {
			return List.of(event, base("invalidate"));
		}
		return List.of(event);
	}

	/** Whether a cursor that reported this entry is finished. */
	boolean invalidates(String watched) {
		return this.operation == Operation.DROP && !databaseLevel(watched);
	}

	static String token(long timestamp) {
		return String.format("%016x", timestamp);
	}

	private Document base(String type) {
		int dot = this.namespace.indexOf('.');
		return new Document("_id", new Document("_data", token(this.timestamp))).append("operationType", type)
			.append("clusterTime", new BsonTimestamp(this.timestamp))
			.append("wallTime", this.wallTime)
			.append("ns", new Document("db", this.namespace.substring(0, dot)).append("coll",
					this.namespace.substring(dot + 1)));
	}

	private static boolean databaseLevel(String namespace) {
		String collection = namespace.substring(namespace.indexOf('.') + 1);
		return collection.equals("1") || collection.equals("$cmd");
	}

	private static String database(String namespace) {
		return namespace.substring(0, namespace.indexOf('.'));
	}

	/** The writes a change stream reports, by their {@code operationType}. */
	enum Operation {

		INSERT("insert"), UPDATE("update"), REPLACE("replace"), DELETE("delete"), DROP("drop");

		private final String type;

		Operation(String type) {
			this.type = type;
		}

	}

}
