package io.productstore.cache.changes;

import java.time.Clock;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.productstore.cache.CacheMetrics;
import io.productstore.cache.CacheProperties;
import io.productstore.cache.CollectionChanges;
import io.productstore.cache.near.InvalidationBus;
import io.productstore.cache.near.NearCache;
import io.productstore.cache.outage.CacheResilience;
import io.productstore.cache.redis.CacheKeys;
import io.productstore.cache.redis.InFlightLoads;
import io.productstore.cache.redis.RedisCacheStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

/**
 * The wiring of invalidation from the change stream: one follower per
 * {@link CollectionChanges} bean a feature declares, their lifecycle and health. Kept out
 * of {@code CacheConfiguration} since it is the one part of the engine that knows
 * MongoDB.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ChangeStreamProperties.class)
class ChangeStreamConfiguration {

	@Bean
	ChangeStreams cacheChangeStreams(ObjectProvider<CollectionChanges> sources, ChangeStreamProperties properties,
			CacheProperties cache, ReactiveMongoTemplate mongo, ReactiveRedisConnectionFactory connectionFactory,
			CacheResilience resilience, NearCache near, InvalidationBus bus, InFlightLoads inFlight,
			CacheMetrics cacheMetrics, MeterRegistry registry) {
		CacheKeys namespace = new CacheKeys(cache.keyPrefix());
		RedisCacheStore store = new RedisCacheStore(connectionFactory, cacheMetrics, resilience.writeGuard());
		ChangeInvalidator invalidator = new ChangeInvalidator(resilience, store, near, bus, inFlight, namespace,
				cache.ttl().item());
		ResumePositions positions = new ResumePositions(namespace, store);
		List<ChangeStreamFollower> followers = sources.orderedStream()
			.map((source) -> new ChangeStreamFollower(source, properties, mongo, invalidator, positions, resilience,
					new ChangeStreamMetrics(registry, source.collection()), Clock.systemUTC()))
			.toList();
		return new ChangeStreams(followers, properties.enabled() && cache.enabled());
	}

	/** Named so that its health component is {@code changeStream}. */
	@Bean
	ChangeStreamHealthIndicator changeStreamHealthIndicator(ChangeStreams streams) {
		return new ChangeStreamHealthIndicator(streams);
	}

}
