package io.productstore.ratelimit;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.productstore.cache.CacheAvailabilityChanged;
import io.productstore.redis.LettuceConnections;
import io.productstore.support.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RateLimiter} against a {@code redis-server} of its own, without an
 * application context: two limiters stand for two instances, and the cache's availability
 * events are sent to their {@link BucketSource} by hand. Most take no token locally
 * ({@code max-unsynchronized-percent=0}); the batched ones check the overshoot that
 * taking them locally allows.
 */
class RateLimiterTests {

	private static final String PREFIX = "unit:";

	private static final ClientKey CLIENT = new ClientKey(ClientKey.Tier.ANONYMOUS, "203.0.113.1");

	private static final CacheAvailabilityChanged UNAVAILABLE = new CacheAvailabilityChanged(false, "test outage");

	private static final CacheAvailabilityChanged AVAILABLE = new CacheAvailabilityChanged(true, "test recovery");

	private final AtomicInteger freshClients = new AtomicInteger();

	private RedisServerProcess redis;

	private LettuceConnectionFactory connectionFactory;

	@BeforeEach
	void startRedis() {
		this.redis = RedisServerProcess.start();
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(this.redis.host(), this.redis.port()));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
	}

	@AfterEach
	void stopRedis() {
		this.connectionFactory.destroy();
		this.redis.close();
	}

	@Test
	void sharesABucketBetweenInstances() {
		Instance first = instance(true);
		Instance second = instance(true);
		expect(first, true, 2);
		expect(second, true, 1);
		expect(first, true, 0);
		expect(second, false, 0);
		assertThat(first.source().state()).isEqualTo(BucketSource.State.SHARED);
	}

	@Test
	void countsConcurrentRequestsOfOneClientExactlyWithoutFallingBack() {
		Instance first = instance(true);
		Instance second = instance(true);
		ClientKey editor = new ClientKey(ClientKey.Tier.EDITOR, "busy");
		Flux.range(0, 400)
			.flatMap((i) -> ((i % 2 == 0) ? first : second).limiter().tryConsume(editor, null), 400)
			.filter(RateLimitDecision::allowed)
			.count()
			.as(StepVerifier::create)
			.expectNext(400L)
			.verifyComplete();
		// A request that had fallen back would be missing from the shared count.
		first.limiter()
			.tryConsume(editor, null)
			.as(StepVerifier::create)
			.assertNext((decision) -> assertThat(decision.remaining()).isEqualTo(600 - 401))
			.verifyComplete();
	}

	@Test
	void sizesBucketsByTier() {
		instance(true).limiter()
			.tryConsume(new ClientKey(ClientKey.Tier.ADMIN, "root"), null)
			.as(StepVerifier::create)
			.assertNext((decision) -> assertThat(decision.limit()).isEqualTo(1200))
			.verifyComplete();
	}

	@Test
	void countsOnlyLocallyWithoutCallingRedisWhileTheCacheReportsItUnavailable() {
		Instance first = instance(true);
		Instance second = instance(true);
		first.source().cacheAvailabilityChanged(UNAVAILABLE);
		second.source().cacheAvailabilityChanged(UNAVAILABLE);
		// Each instance counts on its own: three each, and no bucket appears in Redis.
		for (Instance instance : List.of(first, second)) {
			expect(instance, true, 2);
			expect(instance, true, 1);
			expect(instance, true, 0);
			expect(instance, false, 0);
		}
		assertThat(bucketExists(CLIENT)).isFalse();

		first.source().cacheAvailabilityChanged(AVAILABLE);
		ClientKey fresh = new ClientKey(ClientKey.Tier.ANONYMOUS, "203.0.113.2");
		expect(first, fresh, true, 2);
		assertThat(bucketExists(fresh)).isTrue();
	}

	@Test
	void limitsPerInstanceWhenRedisIsDownAtStartupUntilTheCacheReportsItAvailable() {
		this.redis.kill();
		Instance first = instance(true);
		Instance second = instance(true);
		assertThat(first.source().state()).isEqualTo(BucketSource.State.LOCAL);
		for (Instance instance : List.of(first, second)) {
			expect(instance, true, 2);
			expect(instance, true, 1);
			expect(instance, true, 0);
			expect(instance, false, 0);
		}
		this.redis.restart();
		ClientKey fresh = new ClientKey(ClientKey.Tier.ANONYMOUS, "203.0.113.2");
		expect(first, fresh, true, 2);
		// Redis answers, but until the cache says so the limiter does not ask it.
		assertThat(bucketExists(fresh)).isFalse();

		first.source().cacheAvailabilityChanged(AVAILABLE);
		expect(first, fresh, true, 2);
		assertThat(bucketExists(fresh)).isTrue();
	}

	@Test
	void answersFromTheLocalBucketWhenARedisCallFailsAndKeepsAskingRedis() {
		Instance first = instance(true);
		this.redis.kill();
		expect(first, true, 2);
		expect(first, true, 1);
		assertThat(first.source().state()).isEqualTo(BucketSource.State.SHARED);

		this.redis.restart();
		// No probe to wait for: the first request after Lettuce has reconnected is
		// shared.
		awaitSharedCount(first);
	}

	@Test
	void answersFromTheLocalBucketWhenRedisIsSlowerThanTheTimeout() {
		Instance first = instance(true, "200ms");
		this.redis.pause();
		try {
			first.limiter()
				.tryConsume(CLIENT, null)
				.as(StepVerifier::create)
				.assertNext((decision) -> assertThat(decision.remaining()).isEqualTo(2))
				.expectComplete()
				.verify(Duration.ofSeconds(5));
			assertThat(first.source().state()).isEqualTo(BucketSource.State.SHARED);
		}
		finally {
			this.redis.resume();
		}
	}

	@Test
	void fallsBackPerRequestWithTheCacheDisabled() {
		this.redis.kill();
		Instance first = instance(false);
		assertThat(first.source().state()).isEqualTo(BucketSource.State.SHARED);
		expect(first, true, 2);
		expect(first, true, 1);
		expect(first, true, 0);
		expect(first, false, 0);

		this.redis.restart();
		awaitSharedCount(first);
	}

	/**
	 * The documented bound (docs/benchmarks.md, "Rate limiting: the overshoot"): each of
	 * N instances may hold {@code floor(capacity x percent / 100)} tokens it has not
	 * reported, so a burst gets at most N times that through beyond the limit.
	 */
	@Test
	void letsAtMostTheDocumentedOvershootThroughABurstOfTenTimesTheLimitOnTwoInstances() {
		List<Instance> instances = List.of(batched(100), batched(100));
		long unsynchronized = 100 * 10 / 100;
		Flux.range(0, 1000)
			.flatMap((i) -> instances.get(i % 2).limiter().tryConsume(CLIENT, null), 64)
			.filter(RateLimitDecision::allowed)
			.count()
			.as(StepVerifier::create)
			// At least the limit (no instance refuses what the bucket holds), at most the
			// limit plus 2 x 10; a refill of 100 per hour adds nothing within the test.
			.assertNext((allowed) -> assertThat(allowed).isBetween(100L, 100 + 2 * unsynchronized))
			.verifyComplete();
	}

	@Test
	void reportsTokensToRedisInBatchesInsteadOfOnEveryRequest() {
		Instance first = batched(1000);
		long commandsBefore = commandsProcessed();
		Flux.range(0, 500)
			.concatMap((i) -> first.limiter().tryConsume(CLIENT, null))
			.filter(RateLimitDecision::allowed)
			.count()
			.as(StepVerifier::create)
			.expectNext(500L)
			.verifyComplete();
		// One report per 100 tokens (10 % of 1000): a few commands each, against at
		// least 500 with a report per request.
		assertThat(commandsProcessed() - commandsBefore).isLessThan(50);
		// Another instance sees what was reported: all but the last batch.
		batched(1000).limiter()
			.tryConsume(CLIENT, null)
			.as(StepVerifier::create)
			.assertNext((decision) -> assertThat(decision.remaining()).isBetween(1000 - 500 - 1L, 1000 - 400 - 1L))
			.verifyComplete();
	}

	private Instance instance(boolean cacheEnabled) {
		return instance(cacheEnabled, "2s");
	}

	private Instance instance(boolean cacheEnabled, String timeout) {
		// These tests are about the shared count itself: every request reported (the
		// batched ones below set a share of their own).
		return instance(cacheEnabled,
				Map.of("app.ratelimit.redis.timeout", timeout, "app.ratelimit.redis.max-unsynchronized-percent", "0"));
	}

	private Instance instance(boolean cacheEnabled, Map<String, String> overrides) {
		Map<String, String> values = new HashMap<>(
				Map.of("app.ratelimit.anonymous.capacity", "3", "app.ratelimit.anonymous.refill-period", "1h",
						// So slow a refill that the concurrent count is exact.
						"app.ratelimit.editor.capacity", "600", "app.ratelimit.editor.refill-period", "100d",
						"app.ratelimit.redis.timeout", "2s"));
		values.putAll(overrides);
		RateLimitProperties properties = RateLimitPropertiesTests.bind(values);
		BucketSource source = new BucketSource(cacheEnabled);
		RateLimiter limiter = new RateLimiter(properties, PREFIX, source,
				new SharedBuckets(new LettuceConnections(this.connectionFactory), properties.redis().timeout(), 1000),
				new LocalBuckets(1000, Duration.ofHours(1)));
		limiter.afterSingletonsInstantiated();
		return new Instance(limiter, source);
	}

	// Tokens taken locally, reported in batches: 10 % of the capacity, and a time bound
	// long enough to keep the batches whole (the overshoot does not depend on it).
	private Instance batched(long capacity) {
		return instance(true,
				Map.of("app.ratelimit.anonymous.capacity", Long.toString(capacity),
						"app.ratelimit.redis.max-unsynchronized-percent", "10",
						"app.ratelimit.redis.max-unsynchronized-time", "1m"));
	}

	// Through a client of its own, so that the count includes only the limiters'.
	private long commandsProcessed() {
		RedisClient redisClient = RedisClient.create(RedisURI.create(this.redis.host(), this.redis.port()));
		try (StatefulRedisConnection<String, String> connection = redisClient.connect()) {
			return connection.sync()
				.info("stats")
				.lines()
				.filter((line) -> line.startsWith("total_commands_processed:"))
				.mapToLong((line) -> Long.parseLong(line.substring(line.indexOf(':') + 1).trim()))
				.findFirst()
				.orElseThrow();
		}
		finally {
			redisClient.shutdown();
		}
	}

	// Through a client of its own: the limiter's connection must not be the witness.
	private boolean bucketExists(ClientKey client) {
		RedisClient redisClient = RedisClient.create(RedisURI.create(this.redis.host(), this.redis.port()));
		try (StatefulRedisConnection<String, String> connection = redisClient.connect()) {
			return connection.sync().exists(client.redisKey(PREFIX)) == 1;
		}
		finally {
			redisClient.shutdown();
		}
	}

	// Until a request of a client never seen before is counted in Redis.
	private void awaitSharedCount(Instance instance) {
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
			ClientKey fresh = new ClientKey(ClientKey.Tier.ANONYMOUS, "fresh-" + this.freshClients.incrementAndGet());
			instance.limiter().tryConsume(fresh, null).block();
			return bucketExists(fresh);
		});
	}

	private static void expect(Instance instance, boolean allowed, long remaining) {
		expect(instance, CLIENT, allowed, remaining);
	}

	private static void expect(Instance instance, ClientKey client, boolean allowed, long remaining) {
		instance.limiter().tryConsume(client, null).as(StepVerifier::create).assertNext((decision) -> {
			assertThat(decision.allowed()).isEqualTo(allowed);
			assertThat(decision.remaining()).isEqualTo(remaining);
			assertThat(decision.limit()).isEqualTo(3);
			if (!allowed) {
				assertThat(decision.retryAfterSeconds()).isBetween(1199L, 1200L);
			}
		}).verifyComplete();
	}

	/**
	 * One instance of the service, as far as rate limiting goes.
	 *
	 * @param limiter its limiter
	 * @param source where its limiter takes tokens from
	 */
	private record Instance(RateLimiter limiter, BucketSource source) {

	}

}
