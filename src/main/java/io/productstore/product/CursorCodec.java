package io.productstore.product;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Turns a {@link PageCursor} into the opaque token a client sends back as
 * {@code cursor=}, and back: {@code 1.<payload>.<mac>}, the payload the cursor as
 * base64url JSON and the mac its HMAC-SHA256 under {@code app.cursor.signing-key}. The
 * signature is what makes the token safe to trust: a token changed, cut short, or signed
 * with another key is refused before any of its content is read, so a client can never
 * make the service run a query it did not offer.
 */
@Component
class CursorCodec {

	static final String PARAMETER = "cursor";

	/** Well above the longest cursor of a valid query (200-character q, 20 tags). */
	static final int MAX_LENGTH = 4096;

	private static final String VERSION = "1";

	private static final String ALGORITHM = "HmacSHA256";

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private final SecretKeySpec key;

	private final String keyId;

	private final JsonMapper json;

	CursorCodec(CursorProperties properties, JsonMapper json) {
		this.key = new SecretKeySpec(properties.signingKey().getBytes(StandardCharsets.UTF_8), ALGORITHM);
		this.keyId = ENCODER.encodeToString(Arrays.copyOf(mac("key-id"), 6));
		this.json = json;
	}

	String encode(PageCursor cursor) {
		String signed = VERSION + "." + ENCODER.encodeToString(this.json.writeValueAsBytes(cursor));
		return signed + "." + ENCODER.encodeToString(mac(signed));
	}

	/**
	 * The cursor a token carries.
	 * @param token the token as the client sent it
	 * @return the cursor
	 * @throws InvalidParameterException if the token is not one this service signed with
	 * its current key
	 */
	PageCursor decode(String token) {
		if (token.length() > MAX_LENGTH) {
			throw invalid();
		}
		int mac = token.lastIndexOf('.');
		if (mac < 0 || !token.startsWith(VERSION + ".") || mac == VERSION.length()) {
			throw invalid();
		}
		String signed = token.substring(0, mac);
		try {
			// The text of the MAC, not its decoded bytes: base64 leaves the low bits of
			// the last character unused, so several texts decode to the same MAC, and a
			// token changed in those bits would pass as untouched.
			byte[] expected = ENCODER.encodeToString(mac(signed)).getBytes(StandardCharsets.US_ASCII);
			if (!MessageDigest.isEqual(expected, token.substring(mac + 1).getBytes(StandardCharsets.UTF_8))) {
				throw invalid();
			}
			PageCursor cursor = this.json.readValue(DECODER.decode(signed.substring(VERSION.length() + 1)),
					PageCursor.class);
			if (cursor == null || !cursor.wellFormed()) {
				throw invalid();
			}
			return cursor;
		}
		catch (IllegalArgumentException | JacksonException ex) {
			throw invalid();
		}
	}

	/**
	 * A short, non-secret name of the signing key: part of the cache key of every page
	 * that carries a cursor, so that after a key change no cached page hands out cursors
	 * signed with the old one.
	 */
	String keyId() {
		return this.keyId;
	}

	private byte[] mac(String text) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(this.key);
			return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every Java runtime", ex);
		}
	}

	private static InvalidParameterException invalid() {
		return new InvalidParameterException(PARAMETER,
				"must be a nextCursor this service returned, unchanged (it was altered, cut short or "
						+ "issued under another signing key)");
	}

}
