package io.productstore.ratelimit;

import io.productstore.cache.CacheAvailabilityChanged;
import io.productstore.ratelimit.BucketSource.State;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BucketSource}.
 */
class BucketSourceTests {

	private static final CacheAvailabilityChanged UNAVAILABLE = new CacheAvailabilityChanged(false, "test outage");

	private static final CacheAvailabilityChanged AVAILABLE = new CacheAvailabilityChanged(true, "test recovery");

	@Test
	void usesTheSharedBucketsBeforeAnythingIsKnown() {
		BucketSource source = new BucketSource(true);
		assertThat(source.state()).isEqualTo(State.STARTING);
		assertThat(source.shared()).isTrue();
	}

	@Test
	void startsSharedWhenTheWarmUpReachedRedis() {
		BucketSource source = new BucketSource(true);
		source.warmedUp(null);
		assertThat(source.state()).isEqualTo(State.SHARED);
	}

	@Test
	void startsLocalWhenTheWarmUpFailedAndTheCacheWillReportRecovery() {
		BucketSource source = new BucketSource(true);
		source.warmedUp(new IllegalStateException("connection refused"));
		assertThat(source.state()).isEqualTo(State.LOCAL);
		source.cacheAvailabilityChanged(AVAILABLE);
		assertThat(source.state()).isEqualTo(State.SHARED);
	}

	@Test
	void staysSharedWhenTheWarmUpFailedWithTheCacheDisabled() {
		BucketSource source = new BucketSource(false);
		source.warmedUp(new IllegalStateException("connection refused"));
		assertThat(source.state()).isEqualTo(State.SHARED);
	}

	@Test
	void followsEveryAvailabilityEvent() {
		BucketSource source = new BucketSource(true);
		source.warmedUp(null);
		source.cacheAvailabilityChanged(UNAVAILABLE);
		assertThat(source.state()).isEqualTo(State.LOCAL);
		source.cacheAvailabilityChanged(UNAVAILABLE);
		assertThat(source.state()).isEqualTo(State.LOCAL);
		source.cacheAvailabilityChanged(AVAILABLE);
		assertThat(source.state()).isEqualTo(State.SHARED);
	}

	@Test
	void ignoresTheWarmUpOnceTheCacheHasSpoken() {
		BucketSource source = new BucketSource(true);
		source.cacheAvailabilityChanged(AVAILABLE);
		source.warmedUp(new IllegalStateException("a late warm-up"));
		assertThat(source.state()).isEqualTo(State.SHARED);
	}

}
