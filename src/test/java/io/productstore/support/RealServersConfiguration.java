package io.productstore.support;

import com.mongodb.ConnectionString;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Points an application context at the shared real servers of {@link TestServers}: a
 * {@code redis-server} process and a MongoDB wire-protocol server, both on loopback.
 * Import it into a {@code @SpringBootTest}; the Testcontainers twin is
 * {@link ContainersConfiguration}.
 */
@TestConfiguration(proxyBeanMethods = false)
public class RealServersConfiguration {

	@Bean
	MongoConnectionDetails mongoConnectionDetails() {
		ConnectionString uri = new ConnectionString(TestServers.mongoUri());
		return () -> uri;
	}

	@Bean
	DataRedisConnectionDetails redisConnectionDetails() {
		return redisConnectionDetails(TestServers.redis());
	}

	/**
	 * Connection details of one standalone {@code redis-server} process, for tests that
	 * run their own.
	 * @param redis the server
	 * @return details pointing at it
	 */
	public static DataRedisConnectionDetails redisConnectionDetails(RedisServerProcess redis) {
		return new DataRedisConnectionDetails() {
			@Override
			public Standalone getStandalone() {
				return Standalone.of(redis.host(), redis.port());
			}
		};
	}

}
