package io.productstore.cache;

import java.nio.ByteBuffer;
import java.util.Arrays;

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
 * {@code 2} the negative marker (the origin has no such value).
 */
final class CacheCodec {

	static final byte JSON = 0;

	static final byte LZ4 = 1;

	static final byte NEGATIVE = 2;

	// The safe (bounds-checked) Java/JNI codecs: entries could be written by anyone with
	// access to Redis, so decompression must never trust the stored length blindly.
	private static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();

	private final JsonMapper jsonMapper;

	private final int threshold;

	private final LZ4Compressor compressor = FACTORY.fastCompressor();

	private final LZ4SafeDecompressor decompressor = FACTORY.safeDecompressor();

	CacheCodec(JsonMapper jsonMapper, int threshold) {
		// Entries outlive deployments: a field added by a newer version of the service
		// (rolling deploy) must not make every older instance's read fail.
		this.jsonMapper = jsonMapper.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
		this.threshold = threshold;
	}

	byte[] encode(Object value) {
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
	 * Reads an entry.
	 * @param <T> the value type
	 * @param entry the stored bytes
	 * @param type the value type
	 * @return the value, or {@code null} for the negative marker
	 * @throws IllegalArgumentException if the entry is not in a known form
	 */
	<T> T decode(byte[] entry, Class<T> type) {
		if (entry.length == 0) {
			throw new IllegalArgumentException("Empty cache entry");
		}
		return switch (entry[0]) {
			case NEGATIVE -> null;
			case JSON -> this.jsonMapper.readValue(Arrays.copyOfRange(entry, 1, entry.length), type);
			case LZ4 -> this.jsonMapper.readValue(decompress(entry), type);
			default -> throw new IllegalArgumentException("Unknown cache entry form " + entry[0]);
		};
	}

	/**
	 * Reads an entry, reporting an unreadable one as a cache failure (never as an origin
	 * failure), so the read falls back to the origin.
	 */
	<T> T decodeOrThrow(byte[] entry, Class<T> type) {
		try {
			return decode(entry, type);
		}
		catch (RuntimeException ex) {
			throw new CacheUnavailableException(ex);
		}
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

}
