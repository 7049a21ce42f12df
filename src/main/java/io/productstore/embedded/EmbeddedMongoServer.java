package io.productstore.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import com.mongodb.ConnectionString;
import de.bwaldvogel.mongo.MongoServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A MongoDB wire-protocol server (mongo-java-server) on loopback that keeps its data in
 * one H2 MVStore file, so the catalogue survives restarts.
 */
final class EmbeddedMongoServer implements AutoCloseable {

	static final String HOST = "127.0.0.1";

	static final String DATA_FILE_NAME = "productstore.mv";

	private static final Log logger = LogFactory.getLog(EmbeddedMongoServer.class);

	private final MongoServer server;

	private final int port;

	private EmbeddedMongoServer(MongoServer server, int port) {
		this.server = server;
		this.port = port;
	}

	/**
	 * Opens (or creates) the data file under {@code dataDirectory} and starts listening.
	 * @param dataDirectory the directory of the data file, created when missing
	 * @param port the loopback port, 0 for a free one
	 * @param oplogSize the writes its change streams can resume over
	 * @return the running server
	 */
	static EmbeddedMongoServer start(Path dataDirectory, int port, int oplogSize) {
		Path dataFile = createDirectories(dataDirectory.toAbsolutePath().normalize()).resolve(DATA_FILE_NAME);
		MongoServer server = new MongoServer(new EmbeddedMongoBackend(dataFile.toString(), oplogSize));
		try {
			server.bind(HOST, port);
		}
		catch (RuntimeException ex) {
			// Releases the file lock of the MVStore so a retry can open it.
			server.shutdownNow();
			throw ex;
		}
		InetSocketAddress address = server.getLocalAddress();
		logger.info("Embedded MongoDB-compatible server (mongo-java-server, H2 MVStore at " + dataFile
				+ ", change streams over the last " + oplogSize + " writes) listening on " + HOST + ":"
				+ address.getPort());
		return new EmbeddedMongoServer(server, address.getPort());
	}

	int port() {
		return this.port;
	}

	ConnectionString connectionString(String database) {
		return new ConnectionString("mongodb://" + HOST + ":" + this.port + "/" + database);
	}

	/** Closes client connections, stops listening and writes the MVStore file. */
	@Override
	public void close() {
		this.server.shutdownNow();
		logger.info("Embedded MongoDB-compatible server on " + HOST + ":" + this.port + " stopped");
	}

	private static Path createDirectories(Path directory) {
		try {
			return Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the embedded MongoDB data directory " + directory, ex);
		}
	}

}
