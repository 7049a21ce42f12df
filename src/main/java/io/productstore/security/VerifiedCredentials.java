package io.productstore.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * The HTTP Basic credentials that passed a full password verification (bcrypt) a short
 * while ago, so that a client sending them with every request is not verified again on
 * each: a bounded Caffeine cache whose entries expire a fixed time after the
 * verification.
 * <p>
 * An entry is keyed by an HMAC-SHA256 of the user name and password under a key drawn at
 * random when the process starts, so neither the password nor an offline-attackable hash
 * of it is kept; its value is the stored password hash the credentials were verified
 * against, so a user whose password changed (or who is gone) is verified again. A wrong
 * password has another HMAC and is never found.
 */
final class VerifiedCredentials {

	private static final String ALGORITHM = "HmacSHA256";

	private final SecretKeySpec key;

	// Mac instances are not thread-safe and costly to look up: one per thread.
	private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

	private final Cache<ByteBuffer, String> verified;

	VerifiedCredentials(Duration ttl, long maximumSize, Ticker ticker) {
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		this.key = new SecretKeySpec(secret, ALGORITHM);
		this.verified = Caffeine.newBuilder()
			.maximumSize(maximumSize)
			.expireAfterWrite(ttl)
			.ticker(ticker)
			.executor(Runnable::run)
			.build();
	}

	/**
	 * Whether these credentials were verified against this stored password hash and have
	 * not expired.
	 * @param username the user name sent
	 * @param password the password sent
	 * @param storedHash the user's stored password hash now
	 * @return {@code true} if they may be accepted without a verification
	 */
	boolean remembers(String username, String password, String storedHash) {
		return remembers(key(username, password, storedHash));
	}

	/**
	 * Whether these credentials were verified against their stored password hash and have
	 * not expired.
	 * @param credentials the credentials and the user's stored password hash now
	 * @return {@code true} if they may be accepted without a verification
	 */
	boolean remembers(Key credentials) {
		return credentials.storedHash() != null
				&& credentials.storedHash().equals(this.verified.getIfPresent(credentials.digest()));
	}

	/**
	 * Remember credentials that a full verification accepted.
	 * @param username the user name sent
	 * @param password the password sent
	 * @param storedHash the stored password hash they were verified against
	 */
	void remember(String username, String password, String storedHash) {
		remember(key(username, password, storedHash));
	}

	/**
	 * Remember credentials that a full verification accepted.
	 * @param credentials the credentials and the stored hash they were verified against
	 */
	void remember(Key credentials) {
		this.verified.put(credentials.digest(), credentials.storedHash());
	}

	/**
	 * What a verification of these credentials against this stored hash is known by: the
	 * same HMAC as the remembered entries, never the password.
	 * @param username the user name sent
	 * @param password the password sent
	 * @param storedHash the user's stored password hash now
	 * @return the key
	 */
	Key key(String username, String password, String storedHash) {
		return new Key(digest(username, password), storedHash);
	}

	/**
	 * Forget every verification: the users changed.
	 */
	void forgetAll() {
		this.verified.invalidateAll();
	}

	long size() {
		this.verified.cleanUp();
		return this.verified.estimatedSize();
	}

	private ByteBuffer digest(String username, String password) {
		Mac mac = this.macs.get();
		byte[] name = username.getBytes(StandardCharsets.UTF_8);
		// The length first: "ab" + "c" and "a" + "bc" must not be the same input.
		mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(name.length).array());
		mac.update(name);
		return ByteBuffer.wrap(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
	}

	private Mac newMac() {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(this.key);
			return mac;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("No " + ALGORITHM + " in this JVM", ex);
		}
	}

	/**
	 * Credentials as this class knows them: their HMAC, and the stored password hash they
	 * are verified against.
	 *
	 * @param digest the HMAC of the user name and password
	 * @param storedHash the stored password hash
	 */
	record Key(ByteBuffer digest, String storedHash) {

	}

}
