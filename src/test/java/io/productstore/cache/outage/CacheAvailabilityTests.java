package io.productstore.cache.outage;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.productstore.cache.CacheAvailabilityChanged;
import io.productstore.cache.outage.InvalidationJournal.Item;
import io.productstore.cache.outage.InvalidationJournal.Snapshot;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CacheAvailability}.
 */
class CacheAvailabilityTests {

	private static final String MISSED = "an invalidation could not reach Redis";

	private final AtomicLong nanos = new AtomicLong(1_000);

	private final CacheAvailability availability = new CacheAvailability(new InvalidationJournal(10), this.nanos::get);

	private final List<CacheAvailabilityChanged> events = new CopyOnWriteArrayList<>();

	CacheAvailabilityTests() {
		this.availability.addListener(this.events::add);
	}

	@Test
	void startsUnavailableWithItsOutageCountedFromConstruction() {
		assertThat(this.availability.available()).isFalse();
		this.nanos.addAndGet(250);
		assertThat(this.availability.unavailableNanos()).isEqualTo(250);
		assertThat(this.events).isEmpty();
	}

	@Test
	void countsNoOutageWhileAvailable() {
		assertThat(this.availability.availableUnlessJournaled("recovered")).isNull();
		this.nanos.addAndGet(5_000);
		assertThat(this.availability.available()).isTrue();
		assertThat(this.availability.unavailableNanos()).isZero();
	}

	@Test
	void countsEachOutageFromItsOwnStart() {
		this.availability.availableUnlessJournaled("recovered");
		this.nanos.addAndGet(10_000);
		this.availability.unavailable("breaker opened");
		this.nanos.addAndGet(300);
		assertThat(this.availability.unavailableNanos()).isEqualTo(300);
		this.nanos.addAndGet(200);
		assertThat(this.availability.unavailableNanos()).isEqualTo(500);
		this.availability.availableUnlessJournaled("recovered");
		this.nanos.addAndGet(10_000);
		this.availability.missedItem("widget", "1", 1L);
		this.nanos.addAndGet(5);
		assertThat(this.availability.unavailableNanos()).isEqualTo(5);
	}

	@Test
	void signalsDuringAnOutageNeitherAnnounceNorRestartItsClock() {
		this.availability.availableUnlessJournaled("recovered");
		this.events.clear();
		this.availability.unavailable("breaker opened");
		this.nanos.addAndGet(100);
		this.availability.unavailable("breaker opened");
		this.availability.missedGeneration("widget");
		assertThat(this.availability.unavailableNanos()).isEqualTo(100);
		assertThat(this.events).containsExactly(new CacheAvailabilityChanged(false, "breaker opened"));
	}

	@Test
	void aMissedItemOrGenerationJournalsItAndMakesTheCacheUnavailableAnnouncedOnce() {
		this.availability.availableUnlessJournaled("recovered");
		this.events.clear();
		this.availability.missedItem("widget", "1", 3L);
		this.availability.missedGeneration("widget");
		this.availability.missedItem("widget", "2", null);
		assertThat(this.availability.available()).isFalse();
		assertThat(this.events).containsExactly(new CacheAvailabilityChanged(false, MISSED));
		assertThat(this.availability.journal().size()).isEqualTo(3);
	}

	@Test
	void aMissedGenerationAloneMakesTheCacheUnavailable() {
		this.availability.availableUnlessJournaled("recovered");
		this.events.clear();
		this.availability.missedGeneration("widget");
		assertThat(this.availability.available()).isFalse();
		assertThat(this.events).containsExactly(new CacheAvailabilityChanged(false, MISSED));
	}

	@Test
	void returnsWhatWasJournaledInsteadOfBecomingAvailable() {
		this.availability.missedItem("widget", "1", 3L);
		this.availability.missedGeneration("widget");
		Snapshot more = this.availability.availableUnlessJournaled("recovered");
		assertThat(more.items()).containsExactly(new Item("widget", "1", 3L));
		assertThat(more.regions()).containsExactly("widget");
		assertThat(this.availability.available()).isFalse();
		assertThat(this.availability.journal().isEmpty()).isTrue();
		assertThat(this.events).isEmpty();
		assertThat(this.availability.availableUnlessJournaled("recovered")).isNull();
		assertThat(this.availability.available()).isTrue();
		assertThat(this.events).containsExactly(new CacheAvailabilityChanged(true, "recovered"));
	}

	@Test
	void announcesBecomingAvailableOnce() {
		this.availability.availableUnlessJournaled("recovered");
		this.availability.availableUnlessJournaled("recovered again");
		assertThat(this.events).containsExactly(new CacheAvailabilityChanged(true, "recovered"));
	}

	@Test
	void tellsEveryListenerEvenAfterOneFailed() {
		CacheAvailability availability = new CacheAvailability(new InvalidationJournal(10), this.nanos::get);
		List<CacheAvailabilityChanged> heard = new CopyOnWriteArrayList<>();
		availability.addListener((event) -> {
			throw new IllegalStateException("listener bug");
		});
		availability.addListener(heard::add);
		availability.availableUnlessJournaled("recovered");
		availability.missedItem("widget", "1", 1L);
		availability.announce(new CacheAvailabilityChanged(true, "epoch 7 set by another instance"));
		assertThat(heard).containsExactly(new CacheAvailabilityChanged(true, "recovered"),
				new CacheAvailabilityChanged(false, MISSED),
				new CacheAvailabilityChanged(true, "epoch 7 set by another instance"));
	}

}
