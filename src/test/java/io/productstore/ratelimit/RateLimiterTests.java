package io.productstore.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;

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
 * application context: two limiters stand for two instances.
 */
class RateLimiterTests {

	private static final ClientKey CLIENT = new ClientKey(ClientKey.Tier.ANONYMOUS, "203.0.113.1");

	private final RateLimitProperties properties = RateLimitPropertiesTests
		.bind(Map.of("app.ratelimit.anonymous.capacity", "3", "app.ratelimit.anonymous.refill-period", "1h",
				// So slow a refill that the count below is exact.
				"app.ratelimit.editor.capacity", "600", "app.ratelimit.editor.refill-period", "100d",
				"app.ratelimit.redis.timeout", "2s", "app.ratelimit.redis.retry-interval", "100ms",
				"app.ratelimit.local-max-clients", "1000"));

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
		RateLimiter first = limiter();
		RateLimiter second = limiter();
		expect(first, true, 2);
		expect(second, true, 1);
		expect(first, true, 0);
		expect(second, false, 0);
		assertThat(first.isDistributed()).isTrue();
	}

	@Test
	void countsConcurrentRequestsOfOneClientExactlyWithoutFallingBack() {
		RateLimiter first = limiter();
		RateLimiter second = limiter();
		ClientKey editor = new ClientKey(ClientKey.Tier.EDITOR, "busy");
		Flux.range(0, 400)
			.flatMap((i) -> ((i % 2 == 0) ? first : second).tryConsume(editor), 400)
			.filter(RateLimitDecision::allowed)
			.count()
			.as(StepVerifier::create)
			.expectNext(400L)
			.verifyComplete();
		assertThat(first.isDistributed() && second.isDistributed()).isTrue();
		first.tryConsume(editor)
			.as(StepVerifier::create)
			.assertNext((decision) -> assertThat(decision.remaining()).isEqualTo(600 - 401))
			.verifyComplete();
	}

	@Test
	void sizesBucketsByTier() {
		RateLimiter limiter = limiter();
		limiter.tryConsume(new ClientKey(ClientKey.Tier.ADMIN, "root"))
			.as(StepVerifier::create)
			.assertNext((decision) -> assertThat(decision.limit()).isEqualTo(1200))
			.verifyComplete();
	}

	@Test
	void limitsPerInstanceWhenRedisIsDownAtStartupAndSharesOnceItAnswers() {
		this.redis.kill();
		RateLimiter first = limiter();
		RateLimiter second = limiter();
		assertThat(first.isDistributed()).isFalse();
		// Each instance counts on its own: three each.
		for (RateLimiter limiter : List.of(first, second)) {
			expect(limiter, true, 2);
			expect(limiter, true, 1);
			expect(limiter, true, 0);
			expect(limiter, false, 0);
		}
		this.redis.restart();
		ClientKey fresh = new ClientKey(ClientKey.Tier.ANONYMOUS, "203.0.113.2");
		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(150))
			.until(() -> first.tryConsume(fresh).block().allowed() && first.isDistributed());
	}

	private RateLimiter limiter() {
		RateLimiter limiter = new RateLimiter(this.properties, "unit:",
				new SharedBuckets(new LettuceConnections(this.connectionFactory), this.properties.redis().timeout(),
						1000),
				new LocalBuckets(1000, Duration.ofHours(1)));
		limiter.afterSingletonsInstantiated();
		return limiter;
	}

	private static void expect(RateLimiter limiter, boolean allowed, long remaining) {
		limiter.tryConsume(CLIENT).as(StepVerifier::create).assertNext((decision) -> {
			assertThat(decision.allowed()).isEqualTo(allowed);
			assertThat(decision.remaining()).isEqualTo(remaining);
			assertThat(decision.limit()).isEqualTo(3);
			if (!allowed) {
				assertThat(decision.retryAfterSeconds()).isBetween(1199L, 1200L);
			}
		}).verifyComplete();
	}

}
