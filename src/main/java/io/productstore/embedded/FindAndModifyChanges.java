package io.productstore.embedded;

import de.bwaldvogel.mongo.bson.Document;
import io.productstore.embedded.OplogEntry.Operation;

/**
 * The change a {@code findAndModify} made, read from its command and reply:
 * mongo-java-server applies it without telling its oplog (so {@code findOneAndUpdate},
 * {@code findOneAndReplace} and {@code findOneAndDelete} would be invisible to change
 * streams).
 */
final class FindAndModifyChanges {

	private FindAndModifyChanges() {
	}

	/**
	 * Records the change of a successful {@code findAndModify}, if it changed anything.
	 * @param oplog where to record it
	 * @param database the command's database
	 * @param command the command (its first value is the collection)
	 * @param reply the server's reply
	 */
	static void record(ChangeStreamOplog oplog, String database, Document command, Document reply) {
		Document outcome = (Document) reply.get("lastErrorObject");
		Document value = (Document) reply.get("value");
		Object upserted = (outcome != null) ? outcome.get("upserted") : null;
		Object id = (upserted != null) ? upserted : (value != null) ? value.get("_id") : null;
		if (id == null) {
			return;
		}
		String namespace = database + "." + command.values().iterator().next();
		Document update = (Document) command.get("update");
		Operation operation;
		if (Boolean.TRUE.equals(command.get("remove"))) {
			operation = Operation.DELETE;
		}
		else if (upserted != null) {
			operation = Operation.INSERT;
		}
		else {
			operation = (update != null && ChangeStreamOplog.isReplacement(update)) ? Operation.REPLACE
					: Operation.UPDATE;
		}
		oplog.record(operation, namespace, id);
	}

}
