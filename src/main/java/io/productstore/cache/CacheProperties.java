package io.productstore.cache;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the Redis-first cache under {@code app.cache}.
 *
 * @param enabled {@code false} reads the origin every time and writes nothing to Redis
 * @param keyPrefix namespace of every key this service writes; must not contain braces
 * (they would change the Redis Cluster hash tags)
 * @param ttl time to live per kind of entry
 * @param lock the cross-instance load lock
 * @param compressionThreshold serialized values larger than this are LZ4-compressed
 * @param warmup the startup warm-up
 */
@ConfigurationProperties("app.cache")
public record CacheProperties(@DefaultValue("true") boolean enabled, @DefaultValue("productstore:") String keyPrefix,
		@DefaultValue Ttl ttl, @DefaultValue Lock lock, @DefaultValue("1KB") DataSize compressionThreshold,
		@DefaultValue Warmup warmup) {

	public CacheProperties {
		Assert.hasText(keyPrefix, "app.cache.key-prefix must not be empty");
		Assert.isTrue(keyPrefix.indexOf('{') < 0 && keyPrefix.indexOf('}') < 0,
				"app.cache.key-prefix must not contain '{' or '}'");
	}

	/**
	 * Times to live.
	 *
	 * @param item one entity by id
	 * @param list a list page
	 * @param count a count
	 * @param negative the marker for an id that does not exist
	 */
	public record Ttl(@DefaultValue("1h") Duration item, @DefaultValue("5m") Duration list,
			@DefaultValue("5m") Duration count, @DefaultValue("30s") Duration negative) {

	}

	/**
	 * The lock that lets one instance load a cold key while the others wait.
	 *
	 * @param lease how long a lock lives: a crashed holder blocks a key at most this long
	 * @param maxWait how long a loser polls for the winner's value before loading itself
	 * @param pollInitial first poll delay, doubled on every poll
	 * @param pollMax largest poll delay
	 */
	public record Lock(@DefaultValue("5s") Duration lease, @DefaultValue("2s") Duration maxWait,
			@DefaultValue("5ms") Duration pollInitial, @DefaultValue("50ms") Duration pollMax) {

	}

	/**
	 * Warm-up of the cache.
	 *
	 * @param enabled warm at startup
	 * @param items how many of the most recently updated entities to warm
	 */
	public record Warmup(@DefaultValue("true") boolean enabled, @DefaultValue("100") int items) {

	}

}
