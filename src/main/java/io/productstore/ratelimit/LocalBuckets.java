package io.productstore.ratelimit;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.local.LocalBucketBuilder;

/**
 * Token buckets of this instance alone, used while Redis is down: a bounded map of
 * lock-free Bucket4j buckets, each dropped once idle long enough to be full again.
 */
class LocalBuckets {

	private final Cache<String, Bucket> buckets;

	LocalBuckets(long maxClients, Duration idleUntilFull) {
		this.buckets = Caffeine.newBuilder().maximumSize(maxClients).expireAfterAccess(idleUntilFull).build();
	}

	ConsumptionProbe tryConsume(String key, BucketConfiguration configuration) {
		return this.buckets.get(key, (absent) -> create(configuration)).tryConsumeAndReturnRemaining(1);
	}

	private static Bucket create(BucketConfiguration configuration) {
		LocalBucketBuilder builder = Bucket.builder();
		for (Bandwidth bandwidth : configuration.getBandwidths()) {
			builder.addLimit(bandwidth);
		}
		return builder.build();
	}

}
