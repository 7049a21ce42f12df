package io.productstore.cache.redis;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

import io.productstore.cache.CacheUnavailableException;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns values into cache entries and back: JSON, LZ4-compressed above a threshold,
 * behind a one-byte header that says which form (reading accepts every form).
 * <p>
 * Forms: {@code 0} JSON; {@code 1} a 4-byte big-endian JSON length then the LZ4 block;
 * {@code 2} the negative marker (the origin has no such value); {@code 3} an envelope for
 * probabilistic early refresh: the expiry (8-byte epoch milliseconds) and the measured
 * load time (4-byte milliseconds) of the entry, then the entry in one of the other forms.
 */
public final class CacheCodec {

	static final byte JSON = 0;

	static final byte LZ4 = 1;

	static final byte NEGATIVE = 2;

	static final byte ENVELOPE = 3;

	private static final int ENVELOPE_HEADER = 13;

	// The safe (bounds-checked) Java/JNI codecs: entries could be written by anyone with
	// access to Redis, so decompression must never trust the stored length blindly.
	private static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();

	private final JsonMapper jsonMapper;

	private final int threshold;

	private final LZ4Compressor compressor = FACTORY.fastCompressor();

	private final LZ4SafeDecompressor decompressor = FACTORY.safeDecompressor();

	public CacheCodec(JsonMapper jsonMapper, int threshold) {
		// Entries outlive deployments: a field added by a newer version of the service
		// (rolling deploy) must not make every older instance's read fail.
		this.jsonMapper = jsonMapper.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
		this.threshold = threshold;
	}

	public byte[] encode(Object value) {
		if (value == null) {
			return new byte[] { NEGATIVE };
		}
		byte[] json = this.jsonMapper.writeValueAsBytes(value);
		if (json.length > this.threshold) {
			byte[] compressed = this.compressor.compress(json);
			if (compressed.length + 4 < json.length) {
				return ByteBuffer.allocate(5 + compressed.length).put(LZ4).putInt(json.length).put(compressed).array();
			}
		}
		byte[] entry = new byte[json.length + 1];
		entry[0] = JSON;
		System.arraycopy(json, 0, entry, 1, json.length);
		return entry;
	}

	/**
	 * Encodes a value inside an early-refresh envelope (a negative marker is left bare:
	 * it lives briefly and is cheap to reload).
	 * @param value the value, or null for the negative marker
	 * @param ttl the time to live the entry is stored with
	 * @param loadMillis how long loading the value took (0 when unknown)
	 * @return the entry
	 */
	public byte[] encode(Object value, Duration ttl, long loadMillis) {
		byte[] entry = encode(value);
		if (value == null) {
			return entry;
		}
		long expiresAt = System.currentTimeMillis() + ttl.toMillis();
		int delta = (int) Math.min(Integer.MAX_VALUE, Math.max(0, loadMillis));
		return ByteBuffer.allocate(ENVELOPE_HEADER + entry.length)
			.put(ENVELOPE)
			.putLong(expiresAt)
			.putInt(delta)
			.put(entry)
			.array();
	}

	/**
	 * The early-refresh data of an entry.
	 * @param entry the stored bytes
	 * @return the envelope's expiry and load time, or null for an entry without one
	 */
	public static Envelope envelope(byte[] entry) {
		if (entry.length < ENVELOPE_HEADER || entry[0] != ENVELOPE) {
			return null;
		}
		ByteBuffer buffer = ByteBuffer.wrap(entry, 1, ENVELOPE_HEADER - 1);
		return new Envelope(buffer.getLong(), buffer.getInt());
	}

	/**
	 * Reads an entry.
	 * @param <T> the value type
	 * @param entry the stored bytes
	 * @param type the value type
	 * @return the value, or {@code null} for the negative marker
	 * @throws IllegalArgumentException if the entry is not in a known form
	 */
	public <T> T decode(byte[] entry, Class<T> type) {
		if (entry.length == 0) {
			throw new IllegalArgumentException("Empty cache entry");
		}
		return switch (entry[0]) {
			case NEGATIVE -> null;
			case JSON -> this.jsonMapper.readValue(Arrays.copyOfRange(entry, 1, entry.length), type);
			case LZ4 -> this.jsonMapper.readValue(decompress(entry), type);
			case ENVELOPE -> decode(unwrap(entry), type);
			default -> throw new IllegalArgumentException("Unknown cache entry form " + entry[0]);
		};
	}

	/**
	 * Reads an entry, reporting an unreadable one as a cache failure (never as an origin
	 * failure), so the read falls back to the origin.
	 */
	public <T> T decodeOrThrow(byte[] entry, Class<T> type) {
		try {
			return decode(entry, type);
		}
		catch (RuntimeException ex) {
			throw new CacheUnavailableException(ex);
		}
	}

	private static byte[] unwrap(byte[] entry) {
		if (entry.length <= ENVELOPE_HEADER || entry[ENVELOPE_HEADER] == ENVELOPE) {
			throw new IllegalArgumentException("Malformed cache entry envelope");
		}
		return Arrays.copyOfRange(entry, ENVELOPE_HEADER, entry.length);
	}

	private byte[] decompress(byte[] entry) {
		int length = ByteBuffer.wrap(entry, 1, 4).getInt();
		if (length < 0 || length > 64 * 1024 * 1024) {
			throw new IllegalArgumentException("Implausible cache entry length " + length);
		}
		byte[] json = new byte[length];
		int read = this.decompressor.decompress(entry, 5, entry.length - 5, json, 0, length);
		if (read != length) {
			throw new IllegalArgumentException("Truncated cache entry");
		}
		return json;
	}

	/**
	 * When an entry expires and how long its value took to load.
	 *
	 * @param expiresAtMillis epoch milliseconds
	 * @param loadMillis the measured load time, 0 when unknown
	 */
	public record Envelope(long expiresAtMillis, long loadMillis) {

	}

}
