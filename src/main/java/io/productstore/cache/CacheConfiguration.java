package io.productstore.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import io.productstore.cache.admin.CacheAdministration;
import io.productstore.cache.admin.CacheHealthIndicator;
import io.productstore.cache.admin.CacheWarmup;
import io.productstore.cache.near.InvalidationBus;
import io.productstore.cache.near.NearCache;
import io.productstore.cache.outage.CacheResilience;
import io.productstore.cache.outage.Heartbeat;
import io.productstore.cache.redis.CacheCodec;
import io.productstore.cache.redis.CacheKeys;
import io.productstore.cache.redis.EarlyRefresh;
import io.productstore.cache.redis.InFlightLoads;
import io.productstore.cache.redis.LeasedLoader;
import io.productstore.cache.redis.RedisCacheStore;
import io.productstore.cache.redis.RedisReads;
import io.productstore.cache.redis.RedisWrites;
import io.productstore.redis.LettuceConnections;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

/**
 * All the wiring of the cache engine, level by level: Redis ({@code redis/}), the outage
 * handling every Redis call goes through ({@code outage/}), this instance's memory and
 * its invalidation bus ({@code near/}), administration ({@code admin/}), and the
 * {@link Caches} that features take their {@link CacheRegion} from.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ CacheProperties.class, CacheResilienceProperties.class, NearCacheProperties.class,
		EarlyRefreshProperties.class })
public class CacheConfiguration {

	@Bean
	CacheMetrics cacheMetrics(MeterRegistry registry) {
		return new CacheMetrics(registry);
	}

	// Outage handling

	@Bean
	CacheResilience cacheResilience(ReactiveRedisConnectionFactory connectionFactory, CacheProperties properties,
			CacheResilienceProperties resilience, CacheMetrics metrics, MeterRegistry registry,
			ObjectProvider<CircuitBreakerRegistry> breakers, ApplicationEventPublisher events) {
		CacheResilience cacheResilience = new CacheResilience(connectionFactory, properties, resilience, metrics,
				registry, breakers.getIfAvailable(), Clock.systemUTC(), Ticker.systemTicker());
		cacheResilience.addListener(events::publishEvent);
		return cacheResilience;
	}

	@Bean
	Heartbeat cacheHeartbeat(CacheResilience resilience, CacheResilienceProperties properties, CacheProperties cache) {
		return new Heartbeat(resilience, properties.heartbeat(), cache.enabled());
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

	// Redis level

	@Bean
	InFlightLoads inFlightLoads(CacheMetrics metrics) {
		return new InFlightLoads(metrics);
	}

	@Bean
	CacheCodec cacheCodec(CacheProperties properties, JsonMapper jsonMapper) {
		return new CacheCodec(jsonMapper, (int) properties.compressionThreshold().toBytes());
	}

	@Bean
	EarlyRefresh earlyRefresh(EarlyRefreshProperties properties, CacheMetrics metrics) {
		return new EarlyRefresh(properties, metrics, Clock.systemUTC());
	}

	@Bean
	RedisReads redisReads(ReactiveRedisConnectionFactory connectionFactory, CacheProperties properties,
			CacheCodec codec, CacheResilience resilience, InFlightLoads inFlight, EarlyRefresh early,
			CacheMetrics metrics) {
		RedisCacheStore store = new RedisCacheStore(connectionFactory, metrics, resilience.readGuard());
		return new RedisReads(store, new LeasedLoader(store, codec, metrics, properties.lock(), Ticker.systemTicker()),
				inFlight, early, codec, metrics, properties.ttl().negative());
	}

	@Bean
	RedisWrites redisWrites(ReactiveRedisConnectionFactory connectionFactory, CacheProperties properties,
			CacheCodec codec, CacheResilience resilience, InFlightLoads inFlight, CacheMetrics metrics) {
		return new RedisWrites(properties.ttl().item(), resilience, codec, metrics,
				new RedisCacheStore(connectionFactory, metrics, resilience.writeGuard()), inFlight);
	}

	// Near level

	@Bean
	NearCache nearCache(NearCacheProperties near, CacheProperties properties, JsonMapper jsonMapper,
			CacheMetrics metrics, EarlyRefresh early, MeterRegistry registry) {
		return new NearCache(near, properties.enabled(), jsonMapper, metrics, early, registry, Ticker.systemTicker());
	}

	@Bean
	InvalidationBus invalidationBus(NearCache near, ReactiveRedisConnectionFactory connectionFactory,
			ObjectProvider<LettuceConnections> connections, CacheResilience resilience, CacheProperties properties,
			CacheMetrics metrics) {
		// Without Lettuce (a test's factory) the near cache stays off: nothing
		// subscribes.
		InvalidationBus bus = new InvalidationBus(near, connectionFactory, connections.getIfAvailable(),
				resilience.writeGuard(), new CacheKeys(properties.keyPrefix()), metrics);
		// A recovery replayed invalidations (or bumped the epoch) that other instances
		// never heard of, and they may have refilled their memory from Redis meanwhile:
		// once Redis is trusted again, every instance drops what it holds.
		resilience.addListener((event) -> {
			if (event.available() && properties.enabled()) {
				bus.cleared().subscribe();
			}
		});
		return bus;
	}

	// What features see

	@Bean
	Caches caches(CacheProperties properties, CacheResilienceProperties resilienceProperties, NearCache near,
			CacheResilience resilience, RedisReads redisReads, RedisWrites redisWrites, InFlightLoads inFlight,
			InvalidationBus bus, CacheMetrics metrics) {
		return new Caches(new ReadPath(properties, near, resilience, redisReads, inFlight, metrics),
				new WritePath(properties, resilienceProperties, resilience, redisWrites, near, bus));
	}

	// Administration

	@Bean
	CacheAdministration cacheAdministration(ReactiveRedisConnectionFactory connectionFactory,
			CacheProperties properties, CacheResilience resilience, CacheMetrics metrics, NearCache near,
			InvalidationBus bus) {
		return new CacheAdministration(properties,
				new RedisCacheStore(connectionFactory, metrics, resilience.adminGuard()), resilience, metrics, near,
				bus);
	}

	@Bean
	CacheWarmup cacheWarmup(ObjectProvider<CacheWarmer> warmers, CacheProperties properties,
			CacheResilience resilience) {
		return new CacheWarmup(warmers, properties, resilience);
	}

	/** Named so that Boot's own Redis health contributor backs off. */
	@Bean
	CacheHealthIndicator redisHealthIndicator(CacheResilience resilience, CacheProperties properties) {
		return new CacheHealthIndicator(resilience, properties);
	}

}
