package io.productstore.embedded;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts the bundled Redis server when {@code app.embedded.redis.enabled} is true and
 * points Boot's Redis auto-configuration at it through a
 * {@link DataRedisConnectionDetails} bean, which takes precedence over the
 * {@code spring.data.redis.*} connection settings.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("app.embedded.redis.enabled")
class EmbeddedRedisConfiguration {

	@Bean
	EmbeddedRedisServer embeddedRedisServer(EmbeddedProperties properties) {
		return EmbeddedRedisServer.start(properties.redis().port());
	}

	// Depending on the server bean starts it before any client and stops it after them.
	@Bean
	DataRedisConnectionDetails embeddedRedisConnectionDetails(EmbeddedRedisServer server) {
		DataRedisConnectionDetails.Standalone standalone = DataRedisConnectionDetails.Standalone
			.of(EmbeddedRedisServer.HOST, server.port());
		return new DataRedisConnectionDetails() {

			@Override
			public Standalone getStandalone() {
				return standalone;
			}

		};
	}

}
