package io.productstore.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import io.productstore.ProductStoreApplication;
import io.productstore.support.RedisServerProcess;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the benchmarks of the whole service share: starting it on the test profile against
 * their own servers (change stream on, rate limiting off, key prefix {@code bench:}), and
 * reading their {@code --name=number} arguments.
 */
final class BenchmarkService {

	private BenchmarkService() {
	}

	/**
	 * Starts the service on a free port.
	 * @param mongoUri the MongoDB to use
	 * @param redis the Redis server to use
	 * @param extra further properties, applied last
	 * @return the running service
	 */
	static ConfigurableApplicationContext start(String mongoUri, RedisServerProcess redis, Map<String, String> extra) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("spring.profiles.active", "test");
		properties.put("spring.mongodb.uri", mongoUri);
		properties.put("spring.data.redis.host", redis.host());
		properties.put("spring.data.redis.port", Integer.toString(redis.port()));
		properties.put("app.cache.change-stream.enabled", "true");
		properties.put("app.cache.key-prefix", "bench:");
		// The limiter would measure itself (an editor may make 600 writes a minute).
		properties.put("app.ratelimit.enabled", "false");
		properties.put("logging.level.root", "WARN");
		properties.putAll(extra);
		return new SpringApplicationBuilder(ProductStoreApplication.class).run(properties.entrySet()
			.stream()
			.map((entry) -> "--" + entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new));
	}

	/**
	 * Reads {@code --name=number} arguments.
	 * @param args the command line
	 * @param defaults every known name with its default
	 * @return the values, defaults where not given
	 * @throws IllegalArgumentException for an unknown name
	 */
	static Map<String, Integer> arguments(String[] args, Map<String, Integer> defaults) {
		Map<String, Integer> values = new LinkedHashMap<>(defaults);
		for (String arg : args) {
			String[] pair = arg.replaceFirst("^--", "").split("=", 2);
			if (!values.containsKey(pair[0]) || pair.length < 2) {
				throw new IllegalArgumentException("Unknown argument " + arg + "; known: " + values.keySet());
			}
			values.put(pair[0], Integer.parseInt(pair[1]));
		}
		return values;
	}

}
