package io.productstore.cache;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

/**
 * Wires the engine's outage handling: the {@link CacheResilience} bean (breaker in the
 * Resilience4j registry, events published to the context), the {@code redis} health
 * component and the Lettuce client options that keep the client from hanging on a dead
 * server and make it come back quickly.
 */
@Configuration(proxyBeanMethods = false)
class CacheResilienceConfiguration {

	@Bean
	CacheResilience cacheResilience(ReactiveRedisConnectionFactory connectionFactory, CacheProperties properties,
			CacheResilienceProperties resilienceProperties, MeterRegistry meterRegistry,
			ObjectProvider<CircuitBreakerRegistry> breakerRegistry, ApplicationEventPublisher events) {
		CacheResilience resilience = new CacheResilience(connectionFactory, properties, resilienceProperties,
				meterRegistry, breakerRegistry.getIfAvailable());
		resilience.addListener(events::publishEvent);
		return resilience;
	}

	@Bean
	CacheResilienceLifecycle cacheResilienceLifecycle(CacheResilience resilience) {
		return new CacheResilienceLifecycle(resilience);
	}

	/** Named so that Boot's own Redis health contributor backs off. */
	@Bean
	CacheHealthIndicator redisHealthIndicator(CacheResilience resilience, CacheProperties properties) {
		return new CacheHealthIndicator(resilience, properties);
	}

	/**
	 * Reconnect on its own; refuse commands at once while disconnected instead of
	 * queueing them for a server that may not come back (the breaker sees the failures);
	 * let Lettuce time out commands itself ({@code spring.data.redis.timeout}) as a
	 * backstop behind the engine's own, shorter timeout.
	 */
	@Bean
	LettuceClientOptionsBuilderCustomizer resilientLettuceClientOptions() {
		return (options) -> options.autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.timeoutOptions(TimeoutOptions.enabled());
	}

	/**
	 * Reconnect attempts from 50 ms up to 1 s apart (Lettuce's default grows to 30 s, so
	 * a Redis back after a minute could stay unused for another half minute).
	 */
	@Bean
	ClientResourcesBuilderCustomizer fastLettuceReconnect() {
		return (resources) -> resources
			.reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS));
	}

}
