package io.productstore.cache.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one SHA-256 helper of the engine: digests of canonical queries in keys, and of
 * serialised values for weak entity tags.
 */
public final class Sha256 {

	private Sha256() {
	}

	/**
	 * The whole digest of a text.
	 * @param text the text, as UTF-8
	 * @return 64 hexadecimal characters
	 */
	public static String hex(String text) {
		return HexFormat.of().formatHex(digest(text.getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * The first bytes of the digest of some bytes.
	 * @param bytes the bytes
	 * @param length how many bytes of the digest to keep
	 * @return {@code 2 * length} hexadecimal characters
	 */
	public static String hex(byte[] bytes, int length) {
		return HexFormat.of().formatHex(digest(bytes), 0, length);
	}

	private static byte[] digest(byte[] bytes) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(bytes);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
