package io.productstore.cache.near;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.productstore.cache.CacheProperties;
import io.productstore.cache.EarlyRefreshProperties;
import io.productstore.cache.NearCacheProperties;
import io.productstore.cache.TestCacheEngine;
import io.productstore.support.RedisServerProcess;
import io.productstore.support.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link InvalidationSubscription} against the suite's {@code redis-server}
 * with a Redis ACL user that may not subscribe to the invalidation channel (issue 12,
 * defect 7): every refused attempt closes its connection, the near cache stays off
 * without flapping, and subscribing succeeds once the ACL allows it.
 */
class InvalidationSubscriptionIntegrationTests {

	private static final String USER = "no-channels";

	// Not a secret: a throwaway user of the test's own Redis, deleted after the test.
	private static final String PASSWORD = "subscription-test";

	private final RedisServerProcess server = TestServers.redis();

	private RedisClient adminClient;

	private RedisCommands<String, String> admin;

	private StatefulRedisConnection<String, String> adminConnection;

	private LettuceConnectionFactory factory;

	@BeforeEach
	void createUserThatMayNotSubscribe() {
		this.adminClient = RedisClient.create(RedisURI.create(this.server.host(), this.server.port()));
		this.adminConnection = this.adminClient.connect();
		this.admin = this.adminConnection.sync();
		// Every key and command, no pub/sub channel: SUBSCRIBE answers NOPERM.
		this.admin.aclSetuser(USER,
				AclSetuserArgs.Builder.on().addPassword(PASSWORD).allKeys().allCommands().resetChannels());
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(this.server.host(),
				this.server.port());
		configuration.setUsername(USER);
		configuration.setPassword(RedisPassword.of(PASSWORD));
		this.factory = new LettuceConnectionFactory(configuration);
		this.factory.afterPropertiesSet();
		this.factory.start();
	}

	@AfterEach
	void deleteUser() {
		this.factory.destroy();
		this.admin.aclDeluser(USER);
		this.adminConnection.close();
		this.adminClient.shutdown();
	}

	@Test
	void aRefusedSubscribeLeavesNoConnectionBehindAndSucceedsOnceAllowed() {
		CacheProperties properties = TestCacheEngine.cacheProperties(Map.of("key-prefix", "it:acl:"));
		TestCacheEngine engine = new TestCacheEngine(this.factory, properties, TestCacheEngine.shippedResilience(),
				TestCacheEngine.bind("app.cache.near", NearCacheProperties.class, Map.of()),
				TestCacheEngine.bind("app.cache.early-refresh", EarlyRefreshProperties.class, Map.of()))
			.ready();
		InvalidationBus bus = engine.bus();
		long engineConnections = connectionsOfUser();
		bus.start();
		try {
			// Attempts at 0.1, 0.2, 0.4, 0.8, 1.6 s ...: at least five refusals.
			await().atMost(Duration.ofSeconds(20)).until(() -> bus.subscription().failures() >= 5);
			assertThat(engine.near().state()).isNotEqualTo("ACTIVE");
			// The engine's own connections and at most the attempt under way.
			assertThat(connectionsOfUser()).isLessThanOrEqualTo(engineConnections + 1);

			this.admin.aclSetuser(USER, AclSetuserArgs.Builder.allChannels());
			await().atMost(Duration.ofSeconds(20)).until(() -> engine.near().state().equals("ACTIVE"));
			int failures = bus.subscription().failures();
			assertThat(connectionsOfUser()).isEqualTo(engineConnections + 1);
			// No closed attempt reports a disconnect that turns the near cache off again.
			await().during(Duration.ofSeconds(1))
				.atMost(Duration.ofSeconds(5))
				.until(() -> engine.near().state().equals("ACTIVE"));
			assertThat(bus.subscription().failures()).isEqualTo(failures);
		}
		finally {
			bus.stop();
		}
	}

	private long connectionsOfUser() {
		return Arrays.stream(this.admin.clientList().split("\n"))
			.filter((line) -> line.contains(" user=" + USER + " "))
			.count();
	}

}
