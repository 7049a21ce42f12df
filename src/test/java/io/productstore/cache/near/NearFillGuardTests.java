package io.productstore.cache.near;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NearFillGuard}.
 */
class NearFillGuardTests {

	private final NearFillGuard guard = new NearFillGuard();

	@Test
	void aStampTakenWhileActiveAllowsTheFill() {
		this.guard.subscribed(true);
		long stamp = this.guard.stamp("product:{1}");
		assertThat(stamp).isNotEqualTo(NearFillGuard.NO_FILL);
		assertThat(this.guard.unchanged("product:{1}", stamp)).isTrue();
	}

	@Test
	void aBumpOfTheStripeBetweenStampAndCheckRefusesTheFill() {
		this.guard.subscribed(true);
		long stamp = this.guard.stamp("product:{1}");
		this.guard.bump("product:{1}");
		assertThat(this.guard.unchanged("product:{1}", stamp)).isFalse();
	}

	@Test
	void aBumpOfAnotherStripeLeavesTheFillAlone() {
		// "a" and "b" hash to neighbouring stripes.
		this.guard.subscribed(true);
		long stamp = this.guard.stamp("a");
		this.guard.bump("b");
		assertThat(this.guard.unchanged("a", stamp)).isTrue();
	}

	@Test
	void isInactiveUntilSubscribed() {
		assertThat(this.guard.active()).isFalse();
		assertThat(this.guard.stamp("product:{1}")).isEqualTo(NearFillGuard.NO_FILL);
		assertThat(this.guard.unchanged("product:{1}", NearFillGuard.NO_FILL)).isFalse();
	}

	@Test
	void isInactiveWhileRedisIsUnavailable() {
		this.guard.subscribed(true);
		this.guard.available(false);
		assertThat(this.guard.active()).isFalse();
		assertThat(this.guard.stamp("product:{1}")).isEqualTo(NearFillGuard.NO_FILL);
	}

	@Test
	void deactivationRefusesFillsInFlightEvenAfterReactivation() {
		this.guard.subscribed(true);
		long item = this.guard.stamp("product:{1}");
		long queries = this.guard.stamp("product:q:");
		this.guard.available(false);
		assertThat(this.guard.unchanged("product:{1}", item)).isFalse();
		this.guard.available(true);
		assertThat(this.guard.active()).isTrue();
		assertThat(this.guard.unchanged("product:{1}", item)).isFalse();
		assertThat(this.guard.unchanged("product:q:", queries)).isFalse();
	}

	@Test
	void bumpAllRefusesTheFillsOfEveryStripe() {
		this.guard.subscribed(true);
		long item = this.guard.stamp("product:{1}");
		long queries = this.guard.stamp("product:q:");
		this.guard.bumpAll();
		assertThat(this.guard.unchanged("product:{1}", item)).isFalse();
		assertThat(this.guard.unchanged("product:q:", queries)).isFalse();
	}

	@Test
	void subscribedAndAvailableReportWhetherTheNearCacheStoppedBeingActive() {
		assertThat(this.guard.subscribed(true)).as("activated").isFalse();
		assertThat(this.guard.available(false)).as("deactivated").isTrue();
		assertThat(this.guard.available(false)).as("already inactive").isFalse();
		assertThat(this.guard.subscribed(false)).as("already inactive").isFalse();
		assertThat(this.guard.available(true)).as("still not subscribed").isFalse();
		assertThat(this.guard.active()).isFalse();
		assertThat(this.guard.subscribed(true)).as("activated").isFalse();
		assertThat(this.guard.subscribed(false)).as("deactivated").isTrue();
	}

}
