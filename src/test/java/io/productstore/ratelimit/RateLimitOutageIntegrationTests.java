package io.productstore.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.mongodb.ConnectionString;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.productstore.ProductStoreApplication;
import io.productstore.support.RealServersConfiguration;
import io.productstore.support.RedisServerProcess;
import io.productstore.support.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RateLimiter} while its Redis is down: an instance of its own, on a
 * {@code redis-server} of its own that the test kills, keeps serving, limits per instance
 * as soon as Redis fails, switches to its own buckets once the cache reports Redis
 * unavailable, and shares its limits again once the cache reports it back.
 */
@ExtendWith(OutputCaptureExtension.class)
class RateLimitOutageIntegrationTests {

	private static final String KEY_PREFIX = "ratelimit-outage:";

	private static final String LOCAL_LOG = "rate limits are counted per instance until it is available again";

	private static final String SHARED_LOG = "rate limits are shared across instances again";

	private static final AtomicInteger clients = new AtomicInteger();

	private static RedisServerProcess redis;

	private static ConfigurableApplicationContext instance;

	private static WebTestClient client;

	@BeforeAll
	static void startInstanceOnItsOwnRedis() {
		redis = RedisServerProcess.start();
		ConnectionString mongo = new ConnectionString(TestServers.mongoUri());
		DataRedisConnectionDetails ownRedis = RealServersConfiguration.redisConnectionDetails(redis);
		instance = new SpringApplicationBuilder(ProductStoreApplication.class).profiles("test")
			.initializers((context) -> {
				context.getBeanFactory()
					.registerSingleton("mongoConnectionDetails", (MongoConnectionDetails) () -> mongo);
				context.getBeanFactory().registerSingleton("redisConnectionDetails", ownRedis);
			})
			.run("--server.port=0", "--app.ratelimit.anonymous.capacity=5",
					"--app.ratelimit.anonymous.refill-period=1h", "--app.ratelimit.trusted-proxies=127.0.0.1,::1",
					"--app.ratelimit.redis.timeout=500ms", "--app.cache.key-prefix=" + KEY_PREFIX);
		int port = ((WebServerApplicationContext) instance).getWebServer().getPort();
		client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	@AfterAll
	static void stop() {
		if (instance != null) {
			instance.close();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void keepsServingAndLimitsPerInstanceWhileRedisIsDownThenSharesAgain(CapturedOutput output) {
		BucketSource source = instance.getBean(BucketSource.class);
		awaitSharedBuckets();
		int localLines = occurrences(output.getOut(), LOCAL_LOG);

		redis.kill();
		// Counted locally from the first failed call on, whether or not the cache has
		// noticed the outage yet.
		String during = newClient();
		List<EntityExchangeResult<byte[]>> results = requests(during, 8);
		assertThat(results).extracting((result) -> result.getStatus().value())
			.containsExactly(200, 200, 200, 200, 200, 429, 429, 429);
		EntityExchangeResult<byte[]> refused = results.get(7);
		assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
		assertThat(refused.getResponseHeaders().getFirst(RateLimitFilter.REMAINING)).isEqualTo("0");
		// The cache's breaker, fed by the reads of these requests, reports the outage.
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> statuses(newClient(), 1).get(0) == 200 && !source.shared());
		// More requests: still one line for the switch.
		requests(newClient(), 10);
		assertThat(occurrences(output.getOut(), LOCAL_LOG)).isEqualTo(localLines + 1);

		redis.restart();
		awaitSharedBuckets();
		assertThat(output.getOut()).contains(SHARED_LOG);
	}

	// Until the cache reports Redis available and a request of a new client is counted in
	// Redis.
	private static void awaitSharedBuckets() {
		BucketSource source = instance.getBean(BucketSource.class);
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
			String clientIp = newClient();
			return statuses(clientIp, 1).get(0) == 200 && source.shared() && bucketExists(clientIp);
		});
	}

	private static List<Integer> statuses(String clientIp, int count) {
		return requests(clientIp, count).stream().map((result) -> result.getStatus().value()).toList();
	}

	private static List<EntityExchangeResult<byte[]>> requests(String clientIp, int count) {
		List<EntityExchangeResult<byte[]>> results = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			EntityExchangeResult<byte[]> result = client.get()
				.uri("/api/products/count?category=ratelimit-outage")
				.header(ClientKeyResolver.FORWARDED_FOR, clientIp)
				.exchange()
				.expectBody()
				.returnResult();
			assertThat(result.getStatus().is5xxServerError()).as("status %s", result.getStatus()).isFalse();
			assertThat(result.getResponseHeaders().getFirst(RateLimitFilter.LIMIT)).isEqualTo("5");
			results.add(result);
		}
		return results;
	}

	private static boolean bucketExists(String clientIp) {
		RedisClient redisClient = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
		try (var connection = redisClient.connect()) {
			return connection.sync()
				.exists(new ClientKey(ClientKey.Tier.ANONYMOUS, clientIp).redisKey(KEY_PREFIX)) == 1;
		}
		finally {
			redisClient.shutdown();
		}
	}

	private static int occurrences(String text, String part) {
		int count = 0;
		for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
			count++;
		}
		return count;
	}

	private static String newClient() {
		return "198.51.100." + clients.incrementAndGet();
	}

}
