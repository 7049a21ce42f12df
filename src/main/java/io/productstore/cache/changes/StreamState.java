package io.productstore.cache.changes;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of one collection's change stream, and the moves between them (all in
 * {@link #canMoveTo}).
 *
 * <pre>
 * STOPPED ──start──▶ STARTING ──server answered, stream open──▶ FOLLOWING
 *    ▲                  │                                          │
 *    │                  ├──failed──▶ RESUMING ◀──failed────────────┘
 *    │                  │              │  ▲ └──reopened──▶ FOLLOWING
 *    │                  │              └──┘ failed again (backoff)
 *    │                  └──refused──▶ UNSUPPORTED (a standalone server: final)
 *    └──stop── (any but DISABLED)       DISABLED (switched off: final)
 * </pre>
 */
enum StreamState {

	/** Not running: before start, after stop. */
	STOPPED,

	/**
	 * Switched off ({@code app.cache.change-stream.enabled=false} or the cache is off).
	 */
	DISABLED,

	/** Asking the server where to start. */
	STARTING,

	/** Open: every change is being applied. */
	FOLLOWING,

	/**
	 * Failed; reopening with backoff from where it stopped. Only writes through this
	 * instance invalidate meanwhile.
	 */
	RESUMING,

	/**
	 * The server has no change streams (a standalone MongoDB): the cache runs as before.
	 */
	UNSUPPORTED;

	boolean canMoveTo(StreamState next) {
		return allowed().contains(next);
	}

	/** Whether this instance may miss changes made by others (for health). */
	boolean degraded() {
		return this == RESUMING || this == UNSUPPORTED;
	}

	private Set<StreamState> allowed() {
		return switch (this) {
			case STOPPED -> EnumSet.of(STARTING, DISABLED);
			case DISABLED -> EnumSet.noneOf(StreamState.class);
			case STARTING -> EnumSet.of(FOLLOWING, RESUMING, UNSUPPORTED, STOPPED);
			case FOLLOWING -> EnumSet.of(RESUMING, STOPPED);
			case RESUMING -> EnumSet.of(FOLLOWING, RESUMING, UNSUPPORTED, STOPPED);
			case UNSUPPORTED -> EnumSet.of(STOPPED);
		};
	}

}
