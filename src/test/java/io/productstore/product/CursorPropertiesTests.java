package io.productstore.product;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CursorProperties} as {@code application.yml} sets them: a development
 * key by default, none in {@code prod}, where an instance without one must not start.
 */
class CursorPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withInitializer(new ConfigDataApplicationContextInitializer())
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(Properties.class);

	@Test
	void defaultProfileSignsWithTheDevelopmentKey() {
		this.runner.run((context) -> assertThat(context.getBean(CursorProperties.class).signingKey())
			.isEqualTo("development-only-cursor-key-not-secret"));
	}

	@Test
	void prodRefusesToStartWithoutAKey() {
		this.runner.withPropertyValues("spring.profiles.active=prod").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("APP_CURSOR_SIGNING_KEY");
		});
	}

	@Test
	void prodRefusesAShortKeyAndTakesALongOne() {
		this.runner.withPropertyValues("spring.profiles.active=prod", "app.cursor.signing-key=short")
			.run((context) -> assertThat(context).hasFailed());
		this.runner.withPropertyValues("spring.profiles.active=prod", "app.cursor.signing-key=" + "k".repeat(32))
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(CursorProperties.class)
	static class Properties {

	}

}
