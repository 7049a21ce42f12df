package io.productstore.redis;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.productstore.support.RedisCluster;
import io.productstore.support.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link LettuceConnections} against a real standalone {@code redis-server} and
 * a real one-node Redis Cluster.
 */
class LettuceConnectionsIntegrationTests {

	private static final String CHANNEL = "lettuce-connections-test";

	private static RedisServerProcess server;

	private static RedisCluster cluster;

	private static LettuceConnectionFactory standaloneFactory;

	private static LettuceConnectionFactory clusterFactory;

	@BeforeAll
	static void startRedis() {
		server = RedisServerProcess.start();
		cluster = RedisCluster.start(1);
		standaloneFactory = started(
				new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port())));
		clusterFactory = started(new LettuceConnectionFactory(new RedisClusterConfiguration(cluster.nodeAddresses())));
	}

	@AfterAll
	static void stopRedis() {
		standaloneFactory.destroy();
		clusterFactory.destroy();
		server.close();
		cluster.close();
	}

	@Test
	void opensAStandaloneConnectionOnAStandaloneServer() {
		String answer = new LettuceConnections(standaloneFactory).connect(StringCodec.UTF8,
				(standalone) -> roundTrip(standalone, "standalone"), (clustered) -> "cluster");
		assertThat(answer).isEqualTo("standalone:value");
	}

	@Test
	void opensAClusterConnectionOnACluster() {
		String answer = new LettuceConnections(clusterFactory).connect(StringCodec.UTF8, (standalone) -> "standalone",
				(clustered) -> roundTrip(clustered, "cluster"));
		assertThat(answer).isEqualTo("cluster:value");
	}

	@Test
	void deliversPublishedMessagesOnAStandaloneServer() throws InterruptedException {
		LettuceConnections connections = new LettuceConnections(standaloneFactory);
		try (StatefulRedisPubSubConnection<String, String> pubSub = connections.connectPubSub(StringCodec.UTF8);
				StatefulRedisConnection<String, String> publisher = connections.connect(StringCodec.UTF8,
						(standalone) -> standalone, (clustered) -> null)) {
			assertThat(pubSub).isNotInstanceOf(StatefulRedisClusterPubSubConnection.class);
			assertThat(receive(pubSub, () -> publisher.sync().publish(CHANNEL, "hello"))).isEqualTo("hello");
		}
	}

	@Test
	void deliversPublishedMessagesOnACluster() throws InterruptedException {
		LettuceConnections connections = new LettuceConnections(clusterFactory);
		try (StatefulRedisPubSubConnection<String, String> pubSub = connections.connectPubSub(StringCodec.UTF8);
				StatefulRedisClusterConnection<String, String> publisher = connections.connect(StringCodec.UTF8,
						(standalone) -> null, (clustered) -> clustered)) {
			assertThat(pubSub).isInstanceOf(StatefulRedisClusterPubSubConnection.class);
			assertThat(receive(pubSub, () -> publisher.sync().publish(CHANNEL, "hello"))).isEqualTo("hello");
		}
	}

	@Test
	void closesTheConnectionWhenTheFunctionFails() {
		LettuceConnections connections = new LettuceConnections(standaloneFactory);
		assertThatIllegalStateException().isThrownBy(() -> connections.connect(StringCodec.UTF8, (standalone) -> {
			standalone.sync().clientSetname("refused-connection");
			throw new IllegalStateException("refused");
		}, (clustered) -> null));
		try (StatefulRedisConnection<String, String> check = connections.connect(StringCodec.UTF8,
				(standalone) -> standalone, (clustered) -> null)) {
			await().atMost(Duration.ofSeconds(5))
				.until(() -> !check.sync().clientList().contains("name=refused-connection"));
		}
	}

	private static String roundTrip(StatefulRedisConnection<String, String> connection, String key) {
		try (connection) {
			connection.sync().set(key, "value");
			return key + ":" + connection.sync().get(key);
		}
	}

	private static String roundTrip(StatefulRedisClusterConnection<String, String> connection, String key) {
		try (connection) {
			connection.sync().set(key, "value");
			return key + ":" + connection.sync().get(key);
		}
	}

	private static String receive(StatefulRedisPubSubConnection<String, String> pubSub, Runnable publish)
			throws InterruptedException {
		BlockingQueue<String> received = new LinkedBlockingQueue<>();
		pubSub.addListener(new RedisPubSubAdapter<>() {
			@Override
			public void message(String channel, String message) {
				received.add(message);
			}
		});
		pubSub.sync().subscribe(CHANNEL);
		publish.run();
		return received.poll(10, TimeUnit.SECONDS);
	}

	private static LettuceConnectionFactory started(LettuceConnectionFactory factory) {
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
