package io.productstore.embedded;

import com.mongodb.ConnectionString;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.boot.mongodb.autoconfigure.MongoProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts the embedded MongoDB-compatible server when {@code app.embedded.mongodb.enabled}
 * is true and points Boot's Mongo auto-configuration at it through a
 * {@link MongoConnectionDetails} bean, which takes precedence over
 * {@code spring.mongodb.uri}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("app.embedded.mongodb.enabled")
class EmbeddedMongoConfiguration {

	@Bean
	EmbeddedMongoServer embeddedMongoServer(EmbeddedProperties properties) {
		EmbeddedProperties.Mongodb mongodb = properties.mongodb();
		return EmbeddedMongoServer.start(mongodb.dataDirectory(), mongodb.port(), mongodb.oplogSize());
	}

	// Depending on the server bean starts it before any client and stops it after them.
	@Bean
	MongoConnectionDetails embeddedMongoConnectionDetails(EmbeddedMongoServer server, MongoProperties mongoProperties) {
		ConnectionString connectionString = server.connectionString(mongoProperties.getMongoClientDatabase());
		return () -> connectionString;
	}

}
