package io.productstore.cache.outage;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import io.productstore.cache.CacheUnavailableException;
import io.productstore.cache.outage.InMemoryRecoveryStore.Call;
import io.productstore.cache.redis.CacheKeys;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CacheEpoch} over an in-memory store; its scripts in Redis are covered
 * by {@link CacheEpochIntegrationTests}.
 */
class CacheEpochTests {

	private static final long NOW = 1_700_000_000_000L;

	private final CacheKeys namespace = new CacheKeys("test:");

	private final InMemoryRecoveryStore store = new InMemoryRecoveryStore();

	private final CacheEpoch epoch = new CacheEpoch(this.namespace,
			Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

	@Test
	void isKnownOnlyOnceASyncHasSucceeded() {
		assertThat(this.epoch.known()).isFalse();
		this.store.fail(Call.SYNC_EPOCH);
		this.epoch.sync(this.store).as(StepVerifier::create).verifyError(CacheUnavailableException.class);
		assertThat(this.epoch.known()).isFalse();
		this.store.heal();
		this.epoch.sync(this.store).as(StepVerifier::create).expectNext(false).verifyComplete();
		assertThat(this.epoch.known()).isTrue();
		assertThat(this.epoch.value()).isZero();
	}

	@Test
	void startsAtEpochZeroWhoseKeysCarryNoEpoch() {
		assertThat(this.epoch.value()).isZero();
		assertThat(this.epoch.keys().item("widget", "1").entry()).isEqualTo("test:widget:{1}");
	}

	@Test
	void syncTakesAnEpochSetElsewhereAndSaysSoOnce() {
		this.store.epoch(this.namespace.epoch(), 42L);
		this.epoch.sync(this.store).as(StepVerifier::create).expectNext(true).verifyComplete();
		assertThat(this.epoch.value()).isEqualTo(42);
		assertThat(this.epoch.keys().item("widget", "1").entry()).isEqualTo("test:E42:widget:{1}");
		this.epoch.sync(this.store).as(StepVerifier::create).expectNext(false).verifyComplete();
	}

	@Test
	void syncSendsTheLocalEpochSoThatALostKeyIsWrittenBack() {
		this.store.epoch(this.namespace.epoch(), 42L);
		this.epoch.sync(this.store).as(StepVerifier::create).expectNext(true).verifyComplete();
		this.store.epoch(this.namespace.epoch(), null);
		this.epoch.sync(this.store).as(StepVerifier::create).expectNext(false).verifyComplete();
		assertThat(this.store.stored(this.namespace.epoch())).isEqualTo(42);
		assertThat(this.epoch.value()).isEqualTo(42);
	}

	@Test
	void bumpAsksForAtLeastTheClocksMillisAndMovesTheKeys() {
		this.epoch.bump(this.store).as(StepVerifier::create).expectNext(NOW).verifyComplete();
		assertThat(this.epoch.value()).isEqualTo(NOW);
		assertThat(this.epoch.known()).isTrue();
		assertThat(this.epoch.keys().item("widget", "1").entry()).isEqualTo("test:E" + NOW + ":widget:{1}");
		this.epoch.bump(this.store).as(StepVerifier::create).expectNext(NOW + 1).verifyComplete();
	}

	@Test
	void aFailedBumpKeepsTheEpoch() {
		this.store.fail(Call.BUMP_EPOCH);
		this.epoch.bump(this.store).as(StepVerifier::create).verifyError(CacheUnavailableException.class);
		assertThat(this.epoch.value()).isZero();
		assertThat(this.epoch.known()).isFalse();
	}

}
