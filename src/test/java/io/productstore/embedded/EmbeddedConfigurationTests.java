package io.productstore.embedded;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EmbeddedMongoConfiguration} and {@link EmbeddedRedisConfiguration}
 * when they are switched off.
 */
class EmbeddedConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withUserConfiguration(
			PropertiesConfiguration.class, EmbeddedMongoConfiguration.class, EmbeddedRedisConfiguration.class);

	@Test
	void startsNoServerWhenBothAreDisabled() {
		this.contextRunner.withPropertyValues("app.embedded.mongodb.enabled=false", "app.embedded.redis.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EmbeddedMongoServer.class)
				.doesNotHaveBean(MongoConnectionDetails.class)
				.doesNotHaveBean(EmbeddedRedisServer.class)
				.doesNotHaveBean(DataRedisConnectionDetails.class));
	}

	@Test
	void startsNoServerWhenNothingIsConfigured() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(EmbeddedMongoServer.class)
			.doesNotHaveBean(EmbeddedRedisServer.class));
	}

	@Test
	void bindsDefaultsForPortsAndDataDirectory() {
		this.contextRunner.run((context) -> {
			EmbeddedProperties properties = context.getBean(EmbeddedProperties.class);
			assertThat(properties.mongodb().port()).isZero();
			assertThat(properties.mongodb().dataDirectory().normalize()).isEqualTo(Path.of("data", "mongodb"));
			assertThat(properties.redis().port()).isZero();
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(EmbeddedProperties.class)
	static class PropertiesConfiguration {

	}

}
