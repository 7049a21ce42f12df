package io.productstore.embedded;

import java.time.Clock;

import de.bwaldvogel.mongo.backend.Cursor;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import de.bwaldvogel.mongo.wire.MongoDatabaseHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import org.h2.mvstore.MVStore;

/**
 * The H2 MVStore backend of mongo-java-server, made to behave like the single-node
 * replica set the service expects: it answers the {@code hello} handshake that MongoDB
 * 4.4.2+ answers and Boot's Mongo health indicator sends (mongo-java-server 1.47 knows it
 * only by its legacy name {@code isMaster}), with an {@code operationTime}; and it has
 * change streams ({@link ChangeStreamOplog}) whose {@code getMore} waits for the next
 * write ({@link ChangeStreamAwait}). Public so the test servers run the same backend in
 * memory.
 */
public class EmbeddedMongoBackend extends H2Backend {

	private static final String AWAIT_HANDLER = "changeStreamAwait";

	private final int oplogCapacity;

	/**
	 * Opens (or creates) a persistent backend that keeps the last 100,000 writes for its
	 * change streams.
	 * @param fileName the MVStore file
	 */
	public EmbeddedMongoBackend(String fileName) {
		this(fileName, ChangeStreamOplog.DEFAULT_CAPACITY);
	}

	/**
	 * Opens (or creates) a persistent backend.
	 * @param fileName the MVStore file
	 * @param oplogCapacity the writes its change streams can resume over
	 */
	public EmbeddedMongoBackend(String fileName, int oplogCapacity) {
		super(fileName);
		this.oplogCapacity = oplogCapacity;
		enableOplog();
	}

	private EmbeddedMongoBackend(MVStore store, int oplogCapacity) {
		super(store);
		this.oplogCapacity = oplogCapacity;
		enableOplog();
	}

	/**
	 * Creates a backend that keeps its data in memory only.
	 * @return a new, empty backend
	 */
	public static EmbeddedMongoBackend inMemory() {
		return inMemory(ChangeStreamOplog.DEFAULT_CAPACITY);
	}

	/**
	 * Creates a backend that keeps its data in memory only.
	 * @param oplogCapacity the writes its change streams can resume over
	 * @return a new, empty backend
	 */
	public static EmbeddedMongoBackend inMemory(int oplogCapacity) {
		return new EmbeddedMongoBackend(MVStore.open(null), oplogCapacity);
	}

	@Override
	protected Oplog createOplog() {
		return new ChangeStreamOplog(getCursorRegistry(), this.oplogCapacity, Clock.systemUTC());
	}

	@Override
	public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
		awaitChangeStreamsOn(channel);
		if ("hello".equalsIgnoreCase(command)) {
			Document reply = super.handleCommand(channel, databaseName, "isMaster", query);
			reply.put("isWritablePrimary", reply.get("ismaster"));
			reply.remove("ismaster");
			reply.put("operationTime", new BsonTimestamp(changes().latest()));
			return reply;
		}
		Document reply = super.handleCommand(channel, databaseName, command, query);
		if ("findAndModify".equalsIgnoreCase(command)) {
			FindAndModifyChanges.record(changes(), databaseName, query, reply);
		}
		return reply;
	}

	private ChangeStreamOplog changes() {
		return (ChangeStreamOplog) this.oplog;
	}

	/**
	 * Puts a {@link ChangeStreamAwait} in front of mongo-java-server's handler on the
	 * first command of a connection (called on its event loop, where the pipeline may
	 * change).
	 */
	private void awaitChangeStreamsOn(Channel channel) {
		if (channel == null) {
			return;
		}
		ChannelPipeline pipeline = channel.pipeline();
		ChannelHandlerContext handler = pipeline.context(MongoDatabaseHandler.class);
		if (handler != null && pipeline.get(AWAIT_HANDLER) == null) {
			pipeline.addBefore(handler.name(), AWAIT_HANDLER, new ChangeStreamAwait(changes(), this::changeStream));
		}
	}

	private ChangeStreamCursor changeStream(long cursorId) {
		try {
			Cursor cursor = getCursorRegistry().getCursor(cursorId);
			return (cursor instanceof ChangeStreamCursor changeStream) ? changeStream : null;
		}
		catch (RuntimeException ex) {
			// Not found: mongo-java-server answers the getMore with the error itself.
			return null;
		}
	}

}
