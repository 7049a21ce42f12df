package io.productstore.ratelimit;

/**
 * Who a request is counted against: an authenticated user by name, else a client IP, with
 * the tier that sizes its bucket.
 *
 * @param tier the tier of the client
 * @param id the user name, or the client IP for {@link Tier#ANONYMOUS}
 */
record ClientKey(Tier tier, String id) {

	/**
	 * The bucket's key under a namespace: {@code <prefix>ratelimit:<tier>:<id>}, one key
	 * per bucket so that Redis Cluster serves it from a single slot.
	 * @param prefix the namespace, such as {@code productstore:}
	 * @return the key
	 */
	String redisKey(String prefix) {
		return prefix + "ratelimit:" + this.tier.segment + ":" + this.id;
	}

	/**
	 * Tiers of clients, from the least to the most trusted.
	 */
	enum Tier {

		ANONYMOUS, USER, EDITOR, ADMIN;

		// Built once: the key is built on every request.
		private final String segment = name().toLowerCase(java.util.Locale.ROOT);

	}

}
