package io.productstore.ratelimit;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RateLimitProperties}, bound as Spring Boot binds them.
 */
class RateLimitPropertiesTests {

	@Test
	void bindsTheDocumentedDefaults() {
		RateLimitProperties properties = bind(Map.of());
		assertThat(properties.enabled()).isTrue();
		assertThat(properties.trustedProxies()).isEmpty();
		assertThat(properties.limit(ClientKey.Tier.ANONYMOUS).capacity()).isEqualTo(100);
		assertThat(properties.limit(ClientKey.Tier.USER).capacity()).isEqualTo(300);
		assertThat(properties.limit(ClientKey.Tier.EDITOR).capacity()).isEqualTo(600);
		assertThat(properties.limit(ClientKey.Tier.ADMIN).capacity()).isEqualTo(1200);
		for (ClientKey.Tier tier : ClientKey.Tier.values()) {
			assertThat(properties.limit(tier).refillPeriod()).isEqualTo(Duration.ofMinutes(1));
		}
		assertThat(properties.redis().timeout()).isEqualTo(Duration.ofMillis(50));
		assertThat(properties.redis().maxUnsynchronizedPercent()).isEqualTo(10);
		assertThat(properties.redis().maxUnsynchronizedTime()).isEqualTo(Duration.ofSeconds(1));
		assertThat(properties.redis().maxUnsynchronizedTokens(properties.limit(ClientKey.Tier.ANONYMOUS)))
			.isEqualTo(10);
		assertThat(properties.localMaxClients()).isEqualTo(100_000);
	}

	@Test
	void keepsTheDefaultsOfWhatATierLeavesOut() {
		RateLimitProperties properties = bind(
				Map.of("app.ratelimit.user.capacity", "7", "app.ratelimit.admin.refill-period", "1h"));
		assertThat(properties.limit(ClientKey.Tier.USER).capacity()).isEqualTo(7);
		assertThat(properties.limit(ClientKey.Tier.USER).refillPeriod()).isEqualTo(Duration.ofMinutes(1));
		assertThat(properties.limit(ClientKey.Tier.ADMIN).capacity()).isEqualTo(1200);
		assertThat(properties.limit(ClientKey.Tier.ADMIN).refillPeriod()).isEqualTo(Duration.ofHours(1));
	}

	@Test
	void refusesABucketThatNeverGrantsARequest() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("app.ratelimit.editor.capacity", "0")))
			.havingRootCause()
			.withMessage("app.ratelimit.editor.capacity must be positive");
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("app.ratelimit.anonymous.refill-period", "0s")))
			.havingRootCause()
			.withMessage("app.ratelimit.anonymous.refill-period must be positive");
	}

	/**
	 * Bind {@code app.ratelimit.*} from the given properties, with the defaults of the
	 * record, as the application does.
	 * @param properties the properties, such as {@code app.ratelimit.user.capacity=7}
	 * @return the bound properties
	 */
	static RateLimitProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("app.ratelimit",
				RateLimitProperties.class);
	}

}
