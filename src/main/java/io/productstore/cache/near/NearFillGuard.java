package io.productstore.cache.near;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Decides whether a value read from Redis may enter the near cache: only while the near
 * cache is active (invalidations are being received and Redis is available), and only if
 * no invalidation of its stripe happened since the read began, so a read that raced with
 * a write can never leave the old value in memory.
 * <p>
 * A fill takes a stamp before reading Redis, puts its entry, then checks the stamp again
 * and removes its own entry if it changed; an invalidation bumps the stamp before it
 * evicts. Whichever order the two run in, the old value does not stay.
 */
final class NearFillGuard {

	/** The stamp of a read that must not fill. */
	static final long NO_FILL = -1;

	private static final int STRIPES = 256;

	private final AtomicLongArray stripes = new AtomicLongArray(STRIPES);

	private volatile boolean subscribed;

	private volatile boolean available = true;

	long stamp(String stripe) {
		return active() ? this.stripes.get(index(stripe)) : NO_FILL;
	}

	boolean unchanged(String stripe, long stamp) {
		return stamp != NO_FILL && active() && this.stripes.get(index(stripe)) == stamp;
	}

	void bump(String stripe) {
		this.stripes.incrementAndGet(index(stripe));
	}

	void bumpAll() {
		for (int i = 0; i < STRIPES; i++) {
			this.stripes.incrementAndGet(i);
		}
	}

	boolean active() {
		return this.subscribed && this.available;
	}

	/**
	 * Records whether invalidation messages are being received.
	 * @return whether the near cache stopped being active
	 */
	synchronized boolean subscribed(boolean subscribed) {
		boolean wasActive = active();
		this.subscribed = subscribed;
		return deactivated(wasActive);
	}

	/**
	 * Records whether Redis is available (from the circuit breaker).
	 * @return whether the near cache stopped being active
	 */
	synchronized boolean available(boolean available) {
		boolean wasActive = active();
		this.available = available;
		return deactivated(wasActive);
	}

	private boolean deactivated(boolean wasActive) {
		if (active()) {
			return false;
		}
		// Refuse every fill in flight, even of a read that began while active.
		bumpAll();
		return wasActive;
	}

	private static int index(String stripe) {
		return (stripe.hashCode() & 0x7fffffff) % STRIPES;
	}

}
