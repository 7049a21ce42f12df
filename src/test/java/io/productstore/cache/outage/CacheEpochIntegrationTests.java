package io.productstore.cache.outage;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.productstore.cache.CacheMetrics;
import io.productstore.cache.redis.CacheKeys;
import io.productstore.cache.redis.RedisCacheStore;
import io.productstore.cache.redis.RedisGuard;
import io.productstore.support.RedisServerProcess;
import io.productstore.support.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CacheEpoch}, the epoch scripts and the run ids record of
 * {@link RedisRecoveryStore} against the suite's {@code redis-server}, each instance of
 * the engine played by one {@code CacheEpoch} with a clock of its own.
 */
class CacheEpochIntegrationTests {

	private static final long NOW = 1_700_000_000_000L;

	private static LettuceConnectionFactory factory;

	private final CacheKeys namespace = new CacheKeys("it:epoch:" + UUID.randomUUID().toString().substring(0, 8) + ":");

	private final RedisRecoveryStore store = new RedisRecoveryStore(
			new RedisCacheStore(factory, new CacheMetrics(new SimpleMeterRegistry()), RedisGuard.NONE));

	private final ReactiveStringRedisTemplate redis = new ReactiveStringRedisTemplate(factory);

	@BeforeAll
	static void connect() {
		RedisServerProcess server = TestServers.redis();
		factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()));
		factory.afterPropertiesSet();
		factory.start();
	}

	@AfterAll
	static void disconnect() {
		factory.destroy();
	}

	@Test
	void isKnownOnceReadFromRedis() {
		CacheEpoch epoch = instance(NOW);
		assertThat(epoch.known()).isFalse();
		epoch.sync(this.store).as(StepVerifier::create).expectNext(false).verifyComplete();
		assertThat(epoch.known()).isTrue();
		assertThat(epoch.value()).isZero();
	}

	@Test
	void recordsTheRunIdsEveryInstanceSawAndAnswersThePreviousOnes() {
		String key = this.namespace.runIds();
		this.store.recordRunIds(key, "a;").as(StepVerifier::create).expectNext("").verifyComplete();
		this.store.recordRunIds(key, "b;").as(StepVerifier::create).expectNext("a;").verifyComplete();
		this.redis.opsForValue().get(key).as(StepVerifier::create).expectNext("b;").verifyComplete();
	}

	@Test
	void syncWritesBackAHigherLocalEpochThatRedisLost() {
		CacheEpoch epoch = instance(NOW);
		epoch.bump(this.store).as(StepVerifier::create).expectNext(NOW).verifyComplete();
		this.redis.delete(this.namespace.epoch()).as(StepVerifier::create).expectNext(1L).verifyComplete();
		epoch.sync(this.store).as(StepVerifier::create).expectNext(false).verifyComplete();
		this.redis.opsForValue()
			.get(this.namespace.epoch())
			.as(StepVerifier::create)
			.expectNext(Long.toString(NOW))
			.verifyComplete();
	}

	@Test
	void syncTakesAHigherEpochBumpedByAnotherInstanceAndNeverLowersIt() {
		CacheEpoch here = instance(NOW);
		CacheEpoch there = instance(NOW + 5_000);
		there.bump(this.store).as(StepVerifier::create).expectNext(NOW + 5_000).verifyComplete();
		here.sync(this.store).as(StepVerifier::create).expectNext(true).verifyComplete();
		assertThat(here.value()).isEqualTo(NOW + 5_000);
		assertThat(here.keys().item("widget", "1")).isEqualTo(this.namespace.forEpoch(NOW + 5_000).item("widget", "1"));
		CacheEpoch fresh = instance(NOW);
		fresh.sync(this.store).as(StepVerifier::create).expectNext(true).verifyComplete();
		assertThat(fresh.value()).isEqualTo(NOW + 5_000);
	}

	@Test
	void bumpGoesToAtLeastTheClocksMillisAndAboveEveryEpochBefore() {
		CacheEpoch epoch = instance(NOW);
		epoch.bump(this.store).as(StepVerifier::create).expectNext(NOW).verifyComplete();
		epoch.bump(this.store).as(StepVerifier::create).expectNext(NOW + 1).verifyComplete();
		this.redis.opsForValue()
			.set(this.namespace.epoch(), Long.toString(NOW + 100))
			.as(StepVerifier::create)
			.expectNext(true)
			.verifyComplete();
		epoch.bump(this.store).as(StepVerifier::create).expectNext(NOW + 101).verifyComplete();
	}

	@Test
	void bumpAfterTheKeyWasLostStaysAboveTheLocalEpoch() {
		CacheEpoch epoch = instance(NOW);
		epoch.bump(this.store).as(StepVerifier::create).expectNext(NOW).verifyComplete();
		this.redis.delete(this.namespace.epoch()).as(StepVerifier::create).expectNext(1L).verifyComplete();
		epoch.bump(this.store).as(StepVerifier::create).expectNext(NOW + 1).verifyComplete();
	}

	private CacheEpoch instance(long clockMillis) {
		return new CacheEpoch(this.namespace, Clock.fixed(Instant.ofEpochMilli(clockMillis), ZoneOffset.UTC));
	}

}
