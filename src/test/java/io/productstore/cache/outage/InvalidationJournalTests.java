package io.productstore.cache.outage;

import java.util.List;

import io.productstore.cache.outage.InvalidationJournal.Item;
import io.productstore.cache.outage.InvalidationJournal.Snapshot;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InvalidationJournal}.
 */
class InvalidationJournalTests {

	private final InvalidationJournal journal = new InvalidationJournal(3);

	@Test
	void keepsTheHighestVersionOfEachItem() {
		this.journal.item("widget", "1", 4L);
		this.journal.item("widget", "1", 7L);
		this.journal.item("widget", "1", 5L);
		this.journal.item("gadget", "1", 2L);
		assertThat(this.journal.drain().items()).containsExactly(new Item("widget", "1", 7L),
				new Item("gadget", "1", 2L));
	}

	@Test
	void keepsARemovalWithoutVersionOverVersionedOnesBeforeAndAfterIt() {
		this.journal.item("widget", "1", 4L);
		this.journal.item("widget", "1", null);
		this.journal.item("widget", "1", 9L);
		assertThat(this.journal.drain().items()).containsExactly(new Item("widget", "1", null));
	}

	@Test
	void remembersOnlyThatItOverflowedPastItsCapacityButStillUpdatesTheItemsItHolds() {
		journalWidgets(1, 3);
		assertThat(this.journal.overflowed()).isFalse();
		this.journal.item("widget", "4", 1L);
		this.journal.item("widget", "1", 2L);
		assertThat(this.journal.overflowed()).isTrue();
		assertThat(this.journal.size()).isEqualTo(3);
		Snapshot snapshot = this.journal.drain();
		assertThat(snapshot.items()).containsExactly(new Item("widget", "1", 2L), new Item("widget", "2", 1L),
				new Item("widget", "3", 1L));
		assertThat(snapshot.overflowed()).isTrue();
	}

	@Test
	void keepsEachRegionNeedingAGenerationBumpOnceAndOutsideTheItemCapacity() {
		journalWidgets(1, 3);
		this.journal.generation("widget");
		this.journal.generation("gadget");
		this.journal.generation("widget");
		assertThat(this.journal.overflowed()).isFalse();
		assertThat(this.journal.drain().regions()).containsExactly("widget", "gadget");
	}

	@Test
	void drainTakesEverythingAndLeavesAnEmptyJournalForLaterRecords() {
		journalWidgets(1, 4);
		this.journal.generation("widget");
		Snapshot snapshot = this.journal.drain();
		assertThat(snapshot.items()).hasSize(3);
		assertThat(snapshot.regions()).containsExactly("widget");
		assertThat(snapshot.overflowed()).isTrue();
		assertThat(this.journal.isEmpty()).isTrue();
		assertThat(this.journal.overflowed()).isFalse();
		assertThat(this.journal.drain()).isEqualTo(new Snapshot(List.of(), List.of(), false));
		this.journal.item("widget", "5", 1L);
		assertThat(this.journal.drain().items()).containsExactly(new Item("widget", "5", 1L));
	}

	@Test
	void restorePutsBackWhatWasDrainedMergedWithWhatWasRecordedMeanwhile() {
		this.journal.item("widget", "1", 5L);
		this.journal.item("widget", "2", 3L);
		this.journal.generation("widget");
		Snapshot failed = this.journal.drain();
		this.journal.item("widget", "1", 8L);
		this.journal.item("widget", "2", null);
		this.journal.generation("gadget");
		this.journal.restore(failed);
		Snapshot snapshot = this.journal.drain();
		assertThat(snapshot.items()).containsExactly(new Item("widget", "1", 8L), new Item("widget", "2", null));
		assertThat(snapshot.regions()).containsExactlyInAnyOrder("widget", "gadget");
		assertThat(snapshot.overflowed()).isFalse();
	}

	@Test
	void restoreKeepsAnOverflowAndTheCapacity() {
		journalWidgets(1, 2);
		Snapshot failed = this.journal.drain();
		journalWidgets(3, 4);
		this.journal.restore(failed);
		assertThat(this.journal.size()).isEqualTo(3);
		assertThat(this.journal.overflowed()).isTrue();
		this.journal.drain();
		this.journal.restore(new Snapshot(List.of(), List.of(), true));
		assertThat(this.journal.overflowed()).isTrue();
		assertThat(this.journal.size()).isZero();
	}

	@Test
	void countsItemsAndRegionsAndIsNotEmptyWhileItRemembersAnOverflow() {
		assertThat(this.journal.isEmpty()).isTrue();
		assertThat(this.journal.size()).isZero();
		this.journal.item("widget", "1", 1L);
		this.journal.item("widget", "1", 2L);
		this.journal.generation("widget");
		assertThat(this.journal.size()).isEqualTo(2);
		assertThat(this.journal.isEmpty()).isFalse();
		this.journal.drain();
		this.journal.restore(new Snapshot(List.of(), List.of(), true));
		assertThat(this.journal.size()).isZero();
		assertThat(this.journal.isEmpty()).isFalse();
	}

	/** Records widgets {@code first} to {@code last}, each at version 1. */
	private void journalWidgets(int first, int last) {
		for (int id = first; id <= last; id++) {
			this.journal.item("widget", Integer.toString(id), 1L);
		}
	}

}
