package io.productstore.embedded;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the embedded servers that the default profile starts
 * ({@code app.embedded.*}); {@code application.yml} turns both on by default and off in
 * the {@code prod} profile, so an unset flag here means "off".
 *
 * @param mongodb the in-process MongoDB-compatible server
 * @param redis the bundled Redis server
 */
@ConfigurationProperties("app.embedded")
record EmbeddedProperties(@DefaultValue Mongodb mongodb, @DefaultValue Redis redis) {

	/**
	 * Settings of the in-process MongoDB-compatible server (mongo-java-server over an H2
	 * MVStore file). While enabled it replaces {@code spring.mongodb.uri}.
	 *
	 * @param enabled whether to start it and point the service at it
	 * @param port its loopback port; 0 picks a free one
	 * @param dataDirectory the directory of its data file, created when missing
	 * @param oplogSize the writes its change streams keep in memory to resume from; a
	 * client that falls further behind is told its history is lost
	 */
	record Mongodb(boolean enabled, int port, @DefaultValue("./data/mongodb") Path dataDirectory,
			@DefaultValue("100000") int oplogSize) {

	}

	/**
	 * Settings of the bundled {@code redis-server} child process (no persistence). While
	 * enabled it replaces the {@code spring.data.redis.*} connection settings.
	 *
	 * @param enabled whether to start it and point the service at it
	 * @param port its loopback port; 0 picks a free one
	 */
	record Redis(boolean enabled, int port) {

	}

}
