package io.productstore.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A client's {@code Idempotency-Key} in the scope of its caller, and the one Redis key
 * name built from it.
 *
 * @param caller who sent it (the authenticated user's name)
 * @param value the header's value, 1..128 visible ASCII characters
 */
public record IdempotencyKey(String caller, String value) {

	/** The request header. */
	public static final String HEADER = "Idempotency-Key";

	static final int MAX_LENGTH = 128;

	public IdempotencyKey {
		if (!wellFormed(value)) {
			throw IdempotencyRefusedException.malformedKey();
		}
	}

	/**
	 * Whether a header value is 1..128 visible ASCII characters ({@code !} to {@code ~}).
	 * @param value the value, possibly null
	 * @return whether it may be used as a key
	 */
	static boolean wellFormed(String value) {
		if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
			return false;
		}
		return value.chars().allMatch((c) -> c >= '!' && c <= '~');
	}

	/**
	 * The record's Redis key: caller and key are digested, never written into the name,
	 * so no client text can reach a key name (no glob characters, no hash tag braces, no
	 * other caller's key) and every name has the same length. The caller's length goes
	 * first so that ("ab", "c") and ("a", "bc") differ.
	 * @param namespace the service's key prefix
	 * @return the key name
	 */
	String redisKey(String namespace) {
		return namespace + sha256(this.caller.length() + ":" + this.caller + "\n" + this.value);
	}

	static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

}
