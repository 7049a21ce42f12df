package io.productstore.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import redis.embedded.RedisServer;

/**
 * The real {@code redis-server} binary bundled in embedded-redis, run as a child process
 * on loopback without persistence: a cache needs none, and nothing is written to the
 * working directory.
 */
final class EmbeddedRedisServer implements AutoCloseable {

	static final String HOST = "127.0.0.1";

	private static final Log logger = LogFactory.getLog(EmbeddedRedisServer.class);

	private final RedisServer server;

	private final int port;

	private EmbeddedRedisServer(RedisServer server, int port) {
		this.server = server;
		this.port = port;
	}

	/**
	 * Starts {@code redis-server} and waits until it accepts connections.
	 * @param port the loopback port, 0 for a free one
	 * @return the running server
	 */
	static EmbeddedRedisServer start(int port) {
		// redis-server treats port 0 as "no TCP listener", so a free port is chosen here.
		int actualPort = (port != 0) ? port : freePort();
		try {
			RedisServer server = RedisServer.newRedisServer()
				.port(actualPort)
				.bind(HOST)
				.setting("save \"\"")
				.setting("appendonly no")
				.onShutdownForceStop(false)
				.build();
			server.start();
			logger.info("Embedded Redis server (bundled redis-server, no persistence) listening on " + HOST + ":"
					+ actualPort);
			return new EmbeddedRedisServer(server, actualPort);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start the embedded Redis server on port " + actualPort, ex);
		}
	}

	int port() {
		return this.port;
	}

	/** Stops the child process (SIGTERM) and waits for it to exit. */
	@Override
	public void close() throws IOException {
		this.server.stop();
		logger.info("Embedded Redis server on " + HOST + ":" + this.port + " stopped");
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot find a free port for the embedded Redis server", ex);
		}
	}

}
