package io.productstore.embedded;

import java.util.List;

import de.bwaldvogel.mongo.backend.AbstractCursor;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.Document;

/**
 * An open change stream of the embedded server: its namespace, the stages after
 * {@code $changeStream} and the cluster time it has reported up to. Read by
 * {@code getMore} on the connection's event loop, checked by {@link ChangeStreamAwait}.
 */
final class ChangeStreamCursor extends AbstractCursor {

	private final ChangeStreamOplog oplog;

	private final String namespace;

	private final Aggregation aggregation;

	private volatile long position;

	private volatile boolean invalidated;

	ChangeStreamCursor(long id, ChangeStreamOplog oplog, String namespace, Aggregation aggregation, long position) {
		super(id);
		this.oplog = oplog;
		this.namespace = namespace;
		this.aggregation = aggregation;
		this.position = position;
	}

	/** Empty once invalidated: the server then closes it and the client's stream ends. */
	@Override
	public boolean isEmpty() {
		return this.invalidated;
	}

	@Override
	public List<Document> takeDocuments(int numberToReturn) {
		return this.oplog.read(this, numberToReturn);
	}

	/** Whether a {@code getMore} would find anything (of any namespace) to look at. */
	boolean hasMore() {
		return !this.invalidated && this.oplog.hasEntriesAfter(this.position);
	}

	String namespace() {
		return this.namespace;
	}

	Aggregation aggregation() {
		return this.aggregation;
	}

	long position() {
		return this.position;
	}

	void moveTo(long position) {
		this.position = position;
	}

	void invalidate() {
		this.invalidated = true;
	}

}
