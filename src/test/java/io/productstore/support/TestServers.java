package io.productstore.support;

import java.net.InetSocketAddress;

import de.bwaldvogel.mongo.MongoServer;
import io.productstore.embedded.EmbeddedMongoBackend;

/**
 * The real servers the suite runs against on this machine: one {@code redis-server}
 * process and one in-process MongoDB wire-protocol server, started on free loopback ports
 * the first time a test asks, shared by every test of the JVM and stopped when it exits.
 */
public final class TestServers {

	private static RedisServerProcess redis;

	private static MongoServer mongo;

	private static InetSocketAddress mongoAddress;

	private TestServers() {
	}

	public static synchronized RedisServerProcess redis() {
		if (redis == null) {
			redis = RedisServerProcess.start();
			Runtime.getRuntime().addShutdownHook(new Thread(redis::close, "stop-test-redis"));
		}
		return redis;
	}

	public static synchronized MongoServer mongo() {
		if (mongo == null) {
			mongo = new MongoServer(EmbeddedMongoBackend.inMemory());
			mongo.bind("127.0.0.1", 0);
			mongoAddress = mongo.getLocalAddress();
			Runtime.getRuntime().addShutdownHook(new Thread(mongo::shutdownNow, "stop-test-mongo"));
		}
		return mongo;
	}

	public static synchronized String mongoUri() {
		mongo();
		return "mongodb://127.0.0.1:" + mongoAddress.getPort() + "/productstore";
	}

}
