package io.productstore.embedded;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.productstore.embedded.OplogEntry.Operation;

/**
 * The change streams of the embedded server, in place of mongo-java-server's
 * {@code CollectionBackedOplog}, which reports an operator update ({@code $set},
 * {@code $inc}) without the updated document's id, scans its whole unbounded oplog on
 * every {@code getMore} and resumes silently from any token.
 * <p>
 * Implementation notes: a capped oplog in memory, like a replica set's: the last
 * {@code capacity} writes, keyed by a cluster time that only grows (seconds and a
 * counter). Resuming from a point older than what is kept fails with
 * {@code ChangeStreamHistoryLost} (286), from a token it never issued with
 * {@code ChangeStreamFatalError} (280), from an unreadable one with
 * {@code InvalidResumeToken} (260), so clients see what a replica set would tell them. It
 * lives in memory only: after a restart of the server every earlier token is history
 * lost. Replacements and updates carry no {@code fullDocument} (see {@link OplogEntry});
 * {@code fullDocument: updateLookup} is not supported.
 */
final class ChangeStreamOplog implements Oplog {

	static final int DEFAULT_CAPACITY = 100_000;

	/** Events per batch when the client asks for "all": keeps a reply far below 16 MB. */
	private static final int MAX_BATCH = 1_000;

	private final CursorRegistry cursors;

	private final int capacity;

	private final Clock clock;

	private final ConcurrentNavigableMap<Long, OplogEntry> entries = new ConcurrentSkipListMap<>();

	private final Queue<Runnable> appendListeners = new ConcurrentLinkedQueue<>();

	private long latest;

	private int size;

	/** Every point at or before this one may have been dropped: no resuming from it. */
	private volatile long horizon;

	ChangeStreamOplog(CursorRegistry cursors, int capacity, Clock clock) {
		this.cursors = cursors;
		this.capacity = capacity;
		this.clock = clock;
		this.latest = clock.instant().getEpochSecond() << 32;
		this.horizon = this.latest;
	}

	@Override
	public void handleInsert(String namespace, List<Document> documents) {
		for (Document document : documents) {
			append(Operation.INSERT, namespace, document.get("_id"), document.cloneDeeply());
		}
	}

	@Override
	public void handleUpdate(String namespace, Document selector, Document update, List<Object> modifiedIds) {
		Operation operation = isReplacement(update) ? Operation.REPLACE : Operation.UPDATE;
		for (Object id : modifiedIds) {
			append(operation, namespace, id, null);
		}
	}

	@Override
	public void handleDelete(String namespace, Document query, List<Object> deletedIds) {
		for (Object id : deletedIds) {
			append(Operation.DELETE, namespace, id, null);
		}
	}

	@Override
	public void handleDropCollection(String namespace) {
		append(Operation.DROP, namespace, null, null);
	}

	@Override
	public ChangeStreamCursor createCursor(Document changeStream, String namespace, Aggregation aggregation) {
		ChangeStreamCursor cursor = new ChangeStreamCursor(this.cursors.generateCursorId(), this, namespace,
				aggregation, startPosition(changeStream));
		this.cursors.add(cursor);
		return cursor;
	}

	/**
	 * The cluster time of the last write: what a replica set reports as operationTime.
	 */
	synchronized long latest() {
		return this.latest;
	}

	/** Calls the listener once, after the next write is recorded. */
	void onNextAppend(Runnable listener) {
		this.appendListeners.add(listener);
	}

	void removeListener(Runnable listener) {
		this.appendListeners.remove(listener);
	}

	boolean hasEntriesAfter(long position) {
		return this.entries.higherKey(position) != null;
	}

	/** The next batch of a cursor: the events after its position, through its stages. */
	List<Document> read(ChangeStreamCursor cursor, int limit) {
		long position = cursor.position();
		checkRetained(position);
		int max = (limit <= 0) ? MAX_BATCH : Math.min(limit, MAX_BATCH);
		List<Document> events = new ArrayList<>();
		for (OplogEntry entry : this.entries.tailMap(position, false).values()) {
			if (events.size() >= max) {
				break;
			}
			position = entry.timestamp();
			if (entry.concerns(cursor.namespace())) {
				events.addAll(entry.events(cursor.namespace()));
				if (entry.invalidates(cursor.namespace())) {
					cursor.invalidate();
					break;
				}
			}
		}
		// Pruned while reading: what was read may have a gap.
		checkRetained(cursor.position());
		cursor.moveTo(position);
		return cursor.aggregation().runStages(events.stream());
	}

	/** Records a write of one document that mongo-java-server did not report. */
	void record(Operation operation, String namespace, Object id) {
		append(operation, namespace, id, null);
	}

	private void append(Operation operation, String namespace, Object id, Document fullDocument) {
		synchronized (this) {
			long seconds = this.clock.instant().getEpochSecond();
			this.latest = (seconds > (this.latest >>> 32)) ? (seconds << 32) | 1 : this.latest + 1;
			this.entries.put(this.latest,
					new OplogEntry(this.latest, this.clock.instant(), operation, namespace, id, fullDocument));
			if (++this.size > this.capacity) {
				this.horizon = this.entries.pollFirstEntry().getKey();
				this.size--;
			}
		}
		for (Runnable listener = this.appendListeners.poll(); listener != null; listener = this.appendListeners
			.poll()) {
			listener.run();
		}
	}

	/**
	 * Where a new cursor starts, after checking that nothing between there and now is
	 * lost.
	 */
	private long startPosition(Document changeStream) {
		Object token = (changeStream.get("startAfter") != null) ? changeStream.get("startAfter")
				: changeStream.get("resumeAfter");
		if (token != null) {
			long position = tokenPosition(token);
			checkRetained(position);
			if (position > this.horizon && !this.entries.containsKey(position)) {
				throw new MongoServerError(280, "ChangeStreamFatalError",
						"cannot resume stream; the resume token was not found");
			}
			return position;
		}
		if (changeStream.get("startAtOperationTime") instanceof BsonTimestamp time) {
			checkRetained(time.getValue());
			// Inclusive: the position just before that time.
			return Math.max(time.getValue() - 1, this.horizon);
		}
		return latest();
	}

	private void checkRetained(long position) {
		if (position < this.horizon) {
			throw new MongoServerError(286, "ChangeStreamHistoryLost",
					"Resume of change stream was not possible, as the resume point may no longer be in the oplog");
		}
	}

	private static long tokenPosition(Object token) {
		Object data = (token instanceof Document document) ? document.get("_data") : null;
		try {
			if (data instanceof String hex && hex.length() == 16) {
				return Long.parseUnsignedLong(hex, 16);
			}
		}
		catch (NumberFormatException ex) {
			// Reported below, as a replica set reports a token it cannot read.
		}
		throw new MongoServerError(260, "InvalidResumeToken", "unreadable resume token: " + token);
	}

	static boolean isReplacement(Document update) {
		return update.keySet().stream().noneMatch((key) -> key.startsWith("$"));
	}

}
