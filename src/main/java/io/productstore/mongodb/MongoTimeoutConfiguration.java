package io.productstore.mongodb;

import java.util.concurrent.TimeUnit;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Applies {@code app.mongodb.*} to the MongoDB client, so that reads that need MongoDB
 * fail fast with 503 during an outage and the client recovers on its own afterwards.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MongoTimeoutProperties.class)
class MongoTimeoutConfiguration {

	@Bean
	MongoClientSettingsBuilderCustomizer mongoTimeouts(MongoTimeoutProperties timeouts) {
		return (settings) -> settings
			.applyToClusterSettings((cluster) -> cluster
				.serverSelectionTimeout(timeouts.serverSelectionTimeout().toMillis(), TimeUnit.MILLISECONDS))
			.applyToSocketSettings(
					(socket) -> socket.connectTimeout((int) timeouts.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
						.readTimeout((int) timeouts.readTimeout().toMillis(), TimeUnit.MILLISECONDS));
	}

}
