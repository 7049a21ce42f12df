package io.productstore.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

import org.springframework.util.Assert;

/**
 * Builds every key of the namespace; no client text reaches a key unescaped.
 * <p>
 * Layout (prefix {@code p}, region {@code r}):
 * <ul>
 * <li>{@code p r:{id}} an item, {@code p r:{id}:lock} its load lock and lease, {@code p
 * r:{id}:ver} the last written version (one hash tag: the scripts touch them
 * together);</li>
 * <li>{@code p r:gen} the list/count generation of the region;</li>
 * <li>{@code p r:list:{g<gen>.<sha256>}} a list page and {@code ...:lock} its lock;
 * {@code count} likewise.</li>
 * </ul>
 * Ids keep {@code [A-Za-z0-9_.-]} and percent-encode every other byte, so {@code *},
 * {@code ?}, {@code [}, {@code :}, {@code {}} never appear raw; ids longer than 128
 * encoded characters become {@code ~<sha256>}. Queries are always digested.
 */
final class CacheKeys {

	private static final Pattern REGION = Pattern.compile("[a-z][a-z0-9-]{0,39}");

	private static final int MAX_ENCODED_ID = 128;

	private final String prefix;

	CacheKeys(String prefix) {
		this.prefix = prefix;
	}

	ItemKeys item(String region, String id) {
		String entry = this.prefix + checkRegion(region) + ":{" + encodeId(id) + "}";
		return new ItemKeys(entry, entry + ":lock", entry + ":ver");
	}

	String generation(String region) {
		return this.prefix + checkRegion(region) + ":gen";
	}

	EntryKeys query(String region, QueryKind kind, long generation, String canonicalQuery) {
		String entry = this.prefix + checkRegion(region) + ":" + kind.name().toLowerCase(Locale.ROOT) + ":{g"
				+ generation + "." + sha256(canonicalQuery) + "}";
		return new EntryKeys(entry, entry + ":lock");
	}

	/**
	 * The SCAN pattern matching exactly this namespace: the prefix with glob
	 * metacharacters escaped, then {@code *}.
	 * @return the pattern
	 */
	String namespacePattern() {
		StringBuilder pattern = new StringBuilder();
		for (char c : this.prefix.toCharArray()) {
			if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\' || c == '^' || c == '-') {
				pattern.append('\\');
			}
			pattern.append(c);
		}
		return pattern.append('*').toString();
	}

	String prefix() {
		return this.prefix;
	}

	static String encodeId(String id) {
		Assert.notNull(id, "id must not be null");
		StringBuilder encoded = new StringBuilder(id.length());
		for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
			char c = (char) (b & 0xFF);
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
					|| c == '-') {
				encoded.append(c);
			}
			else {
				encoded.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
			}
		}
		return (encoded.length() <= MAX_ENCODED_ID) ? encoded.toString() : "~" + sha256(id);
	}

	static String sha256(String text) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String checkRegion(String region) {
		Assert.isTrue(region != null && REGION.matcher(region).matches(),
				() -> "region must match " + REGION + ": " + region);
		return region;
	}

	/** The keys of one entity: its entry, its load lock and its last written version. */
	record ItemKeys(String entry, String lock, String version) {

		EntryKeys entryKeys() {
			return new EntryKeys(this.entry, this.lock);
		}

	}

	/** A cache entry and the lock that guards loading it. */
	record EntryKeys(String entry, String lock) {

	}

}
