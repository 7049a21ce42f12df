package io.productstore.cache.outage;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import io.productstore.cache.outage.RecoveryState.Event;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link RecoveryState}.
 */
class RecoveryStateTests {

	@Test
	void startsARunFromEveryStateAtRest() {
		assertThat(RecoveryState.NEW.on(Event.START)).isEqualTo(RecoveryState.FIRST_RECOVERY);
		assertThat(RecoveryState.RECOVERED.on(Event.START)).isEqualTo(RecoveryState.RECOVERING);
		assertThat(RecoveryState.FAILED.on(Event.START)).isEqualTo(RecoveryState.RETRYING);
	}

	@Test
	void endsEveryRunInRecoveredOrFailed() {
		for (RecoveryState running : EnumSet.of(RecoveryState.FIRST_RECOVERY, RecoveryState.RECOVERING,
				RecoveryState.RETRYING)) {
			assertThat(running.on(Event.SUCCESS)).isEqualTo(RecoveryState.RECOVERED);
			assertThat(running.on(Event.FAILURE)).isEqualTo(RecoveryState.FAILED);
		}
	}

	@Test
	void refusesToStartARunWhileOneRunsOrToEndOneThatDoesNot() {
		Map<RecoveryState, Set<Event>> refused = Map.of(RecoveryState.NEW, EnumSet.of(Event.SUCCESS, Event.FAILURE),
				RecoveryState.RECOVERED, EnumSet.of(Event.SUCCESS, Event.FAILURE), RecoveryState.FAILED,
				EnumSet.of(Event.SUCCESS, Event.FAILURE), RecoveryState.FIRST_RECOVERY, EnumSet.of(Event.START),
				RecoveryState.RECOVERING, EnumSet.of(Event.START), RecoveryState.RETRYING, EnumSet.of(Event.START));
		assertThat(refused).containsOnlyKeys(RecoveryState.values());
		refused.forEach((state, events) -> events
			.forEach((event) -> assertThatIllegalStateException().isThrownBy(() -> state.on(event))));
	}

	@Test
	void saysWhetherARunIsRunning() {
		assertThat(EnumSet.allOf(RecoveryState.class)).filteredOn(RecoveryState::running)
			.containsExactlyInAnyOrder(RecoveryState.FIRST_RECOVERY, RecoveryState.RECOVERING, RecoveryState.RETRYING);
	}

	@Test
	void countsARecoveryAsAttemptedOnceOneHasEnded() {
		assertThat(EnumSet.allOf(RecoveryState.class)).filteredOn(RecoveryState::attempted)
			.containsExactlyInAnyOrder(RecoveryState.RECOVERING, RecoveryState.RETRYING, RecoveryState.RECOVERED,
					RecoveryState.FAILED);
	}

	@Test
	void warnsOfAFailureUnlessTheRunBeforeFailedToo() {
		assertThat(EnumSet.allOf(RecoveryState.class)).filteredOn((state) -> !state.warnsOnFailure())
			.containsExactly(RecoveryState.RETRYING);
	}

}
