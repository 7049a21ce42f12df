package io.productstore.embedded;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

/**
 * The H2 MVStore backend of mongo-java-server, taught the {@code hello} handshake that
 * MongoDB 4.4.2+ answers and Boot's Mongo health indicator sends; mongo-java-server 1.47
 * knows it only by its legacy name {@code isMaster}. Public so the test servers run the
 * same backend in memory.
 */
public class EmbeddedMongoBackend extends H2Backend {

	/**
	 * Opens (or creates) a persistent backend.
	 * @param fileName the MVStore file
	 */
	public EmbeddedMongoBackend(String fileName) {
		super(fileName);
	}

	private EmbeddedMongoBackend(MVStore store) {
		super(store);
	}

	/**
	 * Creates a backend that keeps its data in memory only.
	 * @return a new, empty backend
	 */
	public static EmbeddedMongoBackend inMemory() {
		return new EmbeddedMongoBackend(MVStore.open(null));
	}

	@Override
	public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
		if (!"hello".equalsIgnoreCase(command)) {
			return super.handleCommand(channel, databaseName, command, query);
		}
		Document reply = super.handleCommand(channel, databaseName, "isMaster", query);
		reply.put("isWritablePrimary", reply.get("ismaster"));
		reply.remove("ismaster");
		return reply;
	}

}
