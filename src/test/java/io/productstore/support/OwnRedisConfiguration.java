package io.productstore.support;

import com.mongodb.ConnectionString;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.context.annotation.Bean;

/**
 * Points an application context at a {@code redis-server} process of the test's own (one
 * it pauses, kills or restarts) and at the shared MongoDB server: extend it in a nested
 * {@code @TestConfiguration} that says which process.
 */
public abstract class OwnRedisConfiguration {

	/**
	 * The test's own server.
	 * @return the process
	 */
	protected abstract RedisServerProcess redis();

	@Bean
	MongoConnectionDetails mongoConnectionDetails() {
		ConnectionString uri = new ConnectionString(TestServers.mongoUri());
		return () -> uri;
	}

	@Bean
	DataRedisConnectionDetails redisConnectionDetails() {
		return RealServersConfiguration.redisConnectionDetails(redis());
	}

}
