package io.productstore.redis;

import java.util.function.Function;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Opens dedicated connections of the Lettuce client that Spring Boot built from
 * {@code spring.data.redis.*}, whichever kind it is: a {@link RedisClient} for a
 * standalone server or a Sentinel-managed master, a {@link RedisClusterClient} for a
 * cluster. Each connection inherits the client's options (reconnect, timeouts) and is the
 * caller's to close.
 * <p>
 * Opening a connection blocks until Redis answers: call these methods off the event loop,
 * for example from {@code Mono.fromCallable(...)} on {@code Schedulers.boundedElastic()}.
 */
@Component
public final class LettuceConnections {

	private final LettuceConnectionFactory connectionFactory;

	public LettuceConnections(LettuceConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	/**
	 * Open a pub/sub connection. On a cluster it subscribes through one node and still
	 * receives what is published on any node, since Redis Cluster forwards every
	 * {@code PUBLISH} to all nodes.
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param codec the codec of channels and messages
	 * @return the connection, connected
	 */
	public <K, V> StatefulRedisPubSubConnection<K, V> connectPubSub(RedisCodec<K, V> codec) {
		return either((standalone) -> standalone.connectPubSub(codec), (cluster) -> cluster.connectPubSub(codec));
	}

	/**
	 * Open a plain connection and hand it to the function for its kind, for libraries
	 * that need the concrete type (Bucket4j builds a different proxy manager for each).
	 * If the function fails, the connection is closed.
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param <R> what the functions make of the connection
	 * @param codec the codec of keys and values
	 * @param standalone used with a connection to a standalone server or Sentinel master
	 * @param cluster used with a connection to a cluster
	 * @return the result of the function that was used
	 */
	public <K, V, R> R connect(RedisCodec<K, V> codec, Function<StatefulRedisConnection<K, V>, R> standalone,
			Function<StatefulRedisClusterConnection<K, V>, R> cluster) {
		return either((client) -> apply(client.connect(codec), standalone),
				(client) -> apply(client.connect(codec), cluster));
	}

	// The one switch between the kinds of client. The client is read on every call, not
	// kept: a stopped and restarted connection factory builds a new one.
	private <R> R either(Function<RedisClient, R> standalone, Function<RedisClusterClient, R> cluster) {
		AbstractRedisClient client = this.connectionFactory.getRequiredNativeClient();
		if (client instanceof RedisClusterClient clusterClient) {
			return cluster.apply(clusterClient);
		}
		if (client instanceof RedisClient redisClient) {
			return standalone.apply(redisClient);
		}
		throw new IllegalStateException("Unsupported Lettuce client " + client.getClass().getName());
	}

	private static <C extends StatefulConnection<?, ?>, R> R apply(C connection, Function<C, R> function) {
		try {
			return function.apply(connection);
		}
		catch (RuntimeException ex) {
			connection.close();
			throw ex;
		}
	}

}
