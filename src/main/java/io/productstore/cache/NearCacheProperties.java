package io.productstore.cache;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The in-process near cache in front of Redis, under {@code app.cache.near}.
 *
 * @param enabled keep hot entries in memory (off: every read asks Redis)
 * @param maximumSize entries kept, least recently and frequently used evicted first
 * @param ttl how long an entry is served from memory at most: the staleness bound when an
 * invalidation message is lost without the subscription dropping
 * @param directReads whether a feature may answer a read its memory holds by a way of its
 * own, ahead of its usual handler (one product by id: the same answer without the
 * annotated controller's per-request work); off, every read takes the usual way
 */
@ConfigurationProperties("app.cache.near")
public record NearCacheProperties(@DefaultValue("true") boolean enabled, @DefaultValue("10000") long maximumSize,
		@DefaultValue("5s") Duration ttl, @DefaultValue("true") boolean directReads) {

}
