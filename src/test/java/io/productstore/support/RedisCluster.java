package io.productstore.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Assumptions;

import static org.awaitility.Awaitility.await;

/**
 * A real Redis Cluster of {@code redis-server} processes on loopback, formed with
 * {@code CLUSTER ADDSLOTS} (the slots split evenly between the masters) and
 * {@code CLUSTER MEET}; aborts the calling test when no binary can be started.
 */
public final class RedisCluster implements AutoCloseable {

	private static final int SLOTS = 16384;

	// The cluster bus listens on port + 10000, so a node needs a port below 55536.
	private static final int MAX_NODE_PORT = 55535;

	private final List<RedisServerProcess> nodes;

	private RedisCluster(List<RedisServerProcess> nodes) {
		this.nodes = nodes;
	}

	/**
	 * Starts the masters and waits until every node reports the cluster ok.
	 * @param masters how many masters, each serving an equal share of the slots
	 * @return the cluster
	 */
	public static RedisCluster start(int masters) {
		List<RedisServerProcess> nodes = new ArrayList<>();
		for (int i = 0; i < masters; i++) {
			nodes.add(startNode());
		}
		RedisCluster cluster = new RedisCluster(nodes);
		RedisClient client = RedisClient.create();
		try {
			for (int i = 0; i < masters; i++) {
				try (StatefulRedisConnection<String, String> connection = connect(client, nodes.get(i))) {
					connection.sync()
						.clusterAddSlots(IntStream.range(SLOTS * i / masters, SLOTS * (i + 1) / masters).toArray());
					if (i > 0) {
						connection.sync().clusterMeet(nodes.get(0).host(), nodes.get(0).port());
					}
				}
			}
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> cluster.ok(client));
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
		finally {
			client.shutdown();
		}
		return cluster;
	}

	/**
	 * The nodes as {@code host:port}, for {@code RedisClusterConfiguration}.
	 * @return one entry per node
	 */
	public List<String> nodeAddresses() {
		return this.nodes.stream().map((node) -> node.host() + ":" + node.port()).toList();
	}

	@Override
	public void close() {
		this.nodes.forEach(RedisServerProcess::close);
	}

	private boolean ok(RedisClient client) {
		for (RedisServerProcess node : this.nodes) {
			try (StatefulRedisConnection<String, String> connection = connect(client, node)) {
				String info = connection.sync().clusterInfo();
				if (!info.contains("cluster_state:ok")
						|| !info.contains("cluster_known_nodes:" + this.nodes.size() + "\r")) {
					return false;
				}
			}
		}
		return true;
	}

	private static RedisServerProcess startNode() {
		for (int attempt = 0; attempt < 20; attempt++) {
			RedisServerProcess node;
			try {
				node = RedisServerProcess.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
						"--cluster-node-timeout", "5000");
			}
			catch (IllegalStateException ex) {
				Assumptions.abort("No redis-server binary to form a cluster with: " + ex.getMessage());
				throw ex;
			}
			if (node.port() <= MAX_NODE_PORT) {
				return node;
			}
			node.close();
		}
		throw new IllegalStateException("No free port below " + MAX_NODE_PORT + " for a cluster node");
	}

	private static StatefulRedisConnection<String, String> connect(RedisClient client, RedisServerProcess node) {
		return client.connect(RedisURI.create(node.host(), node.port()));
	}

}
