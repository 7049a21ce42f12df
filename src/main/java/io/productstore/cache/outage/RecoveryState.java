package io.productstore.cache.outage;

/**
 * The states of {@link CacheRecovery}, and in {@link #on} every transition between them
 * (see its implementation notes for the rules around them).
 */
enum RecoveryState {

	/** No recovery has run yet: the epoch, and so every key, is not known. */
	NEW,

	/** The first recovery runs; the first reads and writes wait for it. */
	FIRST_RECOVERY,

	/** A recovery runs after one that succeeded. */
	RECOVERING,

	/** A recovery runs after one that failed: its own failure is logged at DEBUG. */
	RETRYING,

	/** The last recovery succeeded. */
	RECOVERED,

	/** The last recovery failed, and opened the circuit breaker. */
	FAILED;

	/**
	 * The state an event leads to.
	 * @throws IllegalStateException for an event this state never sees: a run starting
	 * while one runs, or ending while none does
	 */
	RecoveryState on(Event event) {
		RecoveryState next = switch (this) {
			case NEW -> (event == Event.START) ? FIRST_RECOVERY : null;
			case RECOVERED -> (event == Event.START) ? RECOVERING : null;
			case FAILED -> (event == Event.START) ? RETRYING : null;
			case FIRST_RECOVERY, RECOVERING, RETRYING -> switch (event) {
				case SUCCESS -> RECOVERED;
				case FAILURE -> FAILED;
				case START -> null;
			};
		};
		if (next == null) {
			throw new IllegalStateException("Recovery " + this + " cannot " + event);
		}
		return next;
	}

	/** Whether a recovery runs now. */
	boolean running() {
		return this == FIRST_RECOVERY || this == RECOVERING || this == RETRYING;
	}

	/**
	 * Whether a recovery has run to its end once (successfully or not): before that, the
	 * epoch is not known, and an outage is only the time since startup.
	 */
	boolean attempted() {
		return this != NEW && this != FIRST_RECOVERY;
	}

	/**
	 * Whether the failure of the run in this state is logged at WARN: unless the run
	 * before failed too, so that an outage logs one warning, not one per half-open.
	 */
	boolean warnsOnFailure() {
		return this != RETRYING;
	}

	/** What happens to a recovery. */
	enum Event {

		/** A run starts (no other runs: a second caller joins the running one). */
		START,

		/** The run made the cache available. */
		SUCCESS,

		/** The run failed; everything it took from the journal is back in it. */
		FAILURE

	}

}
