package io.productstore.cache.near;

/**
 * One message on the near cache's invalidation channel: what a write of instance
 * {@code sender} invalidated. On the wire: sender, code and target separated by single
 * spaces, in UTF-8, with the codes {@code I} (an item, target its near key), {@code G}
 * (every list and count of a region, target the region) and {@code C} (everything, target
 * {@code -}).
 *
 * @param sender the instance that wrote
 * @param kind what was invalidated
 * @param target the item's near key or the region ({@code -} for everything)
 */
public record Invalidation(String sender, Kind kind, String target) {

	public static Invalidation item(String sender, String nearKey) {
		return new Invalidation(sender, Kind.ITEM, nearKey);
	}

	public static Invalidation queries(String sender, String region) {
		return new Invalidation(sender, Kind.QUERIES, region);
	}

	public static Invalidation all(String sender) {
		return new Invalidation(sender, Kind.ALL, "-");
	}

	/**
	 * The message as sent.
	 * @return the wire form
	 */
	public String encode() {
		return this.sender + " " + this.kind.code + " " + this.target;
	}

	/**
	 * Reads a message as received.
	 * @param message the wire form
	 * @return the invalidation, or null if the message is malformed or of an unknown kind
	 */
	public static Invalidation decode(String message) {
		int first = message.indexOf(' ');
		int second = (first < 0) ? -1 : message.indexOf(' ', first + 1);
		if (first <= 0 || second != first + 2 || second == message.length() - 1) {
			return null;
		}
		Kind kind = Kind.of(message.charAt(first + 1));
		return (kind != null) ? new Invalidation(message.substring(0, first), kind, message.substring(second + 1))
				: null;
	}

	/** What a message invalidates. */
	public enum Kind {

		/** One item's near entry. */
		ITEM('I'),

		/** Every list page and count of a region. */
		QUERIES('G'),

		/** Every near entry. */
		ALL('C');

		private final char code;

		Kind(char code) {
			this.code = code;
		}

		static Kind of(char code) {
			for (Kind kind : values()) {
				if (kind.code == code) {
					return kind;
				}
			}
			return null;
		}

	}

}
