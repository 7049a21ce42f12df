package io.productstore.cache.redis;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

import io.productstore.cache.QueryKind;

import org.springframework.util.Assert;

/**
 * Builds every key and channel name of the namespace, in Redis and in the near cache; no
 * client text reaches a key unescaped.
 * <p>
 * Layout (namespace {@code p}, the configured prefix; epoch prefix {@code e}: {@code p}
 * for epoch 0, else {@code pE<epoch>:}; region {@code r}):
 * <ul>
 * <li>{@code e r:{id}} an item, {@code e r:{id}:lock} its load lock and lease, {@code e
 * r:{id}:ver} the last written version (one hash tag: the scripts touch them
 * together);</li>
 * <li>{@code e r:{id}:changed} the last change stream position applied to it;</li>
 * <li>{@code e r:gen} the list/count generation of the region, {@code {e r:gen}:changed}
 * the last change stream position it was bumped for;</li>
 * <li>{@code e r:list:{g<gen>.<sha256>}} a list page and {@code ...:lock} its lock;
 * {@code count} likewise;</li>
 * <li>{@code p epoch} the global epoch, {@code p invalidations} the near cache's pub/sub
 * channel, {@code p r:changes} how far the change stream has been applied;</li>
 * <li>near cache (memory only, no epoch): {@code p r:{id}} an item, {@code p
 * r:q:<kind>:<sha256>} a query result, all of a region's queries sharing the stripe
 * {@code p r:q:}.</li>
 * </ul>
 * Ids keep {@code [A-Za-z0-9_.-]} and percent-encode every other byte, so {@code *},
 * {@code ?}, {@code [}, {@code :}, {@code {}} never appear raw; ids longer than 128
 * encoded characters become {@code ~<sha256>}. Queries are always digested.
 */
public final class CacheKeys {

	private static final Pattern REGION = Pattern.compile("[a-z][a-z0-9-]{0,39}");

	private static final int MAX_ENCODED_ID = 128;

	private final String namespace;

	private final String prefix;

	/**
	 * The keys of epoch 0 of a namespace.
	 * @param namespace the configured key prefix
	 */
	public CacheKeys(String namespace) {
		this(namespace, namespace);
	}

	private CacheKeys(String namespace, String prefix) {
		this.namespace = namespace;
		this.prefix = prefix;
	}

	/**
	 * The keys of another epoch of this namespace.
	 * @param epoch the epoch
	 * @return the keys
	 */
	public CacheKeys forEpoch(long epoch) {
		return new CacheKeys(this.namespace, (epoch == 0) ? this.namespace : this.namespace + "E" + epoch + ":");
	}

	public ItemKeys item(String region, String id) {
		String entry = this.prefix + checkRegion(region) + ":{" + encodeId(id) + "}";
		return new ItemKeys(entry, entry + ":lock", entry + ":ver");
	}

	public String generation(String region) {
		return this.prefix + checkRegion(region) + ":gen";
	}

	/**
	 * The last change stream position a region's generation was bumped for; its hash tag
	 * is the generation key's name, so one script can touch both on a cluster.
	 * @param region the region
	 * @return the key
	 */
	public String generationChanged(String region) {
		return "{" + generation(region) + "}:changed";
	}

	/**
	 * Where the change stream of a region's collection has been applied up to (shared by
	 * every instance; never under an epoch).
	 * @param region the region
	 * @return the key
	 */
	public String changeStreamPosition(String region) {
		return this.namespace + checkRegion(region) + ":changes";
	}

	public EntryKeys query(String region, QueryKind kind, long generation, String canonicalQuery) {
		String entry = this.prefix + checkRegion(region) + ":" + kind(kind) + ":{g" + generation + "."
				+ Sha256.hex(canonicalQuery) + "}";
		return new EntryKeys(entry, entry + ":lock");
	}

	/** The key of the global epoch (never itself under an epoch). */
	public String epoch() {
		return this.namespace + "epoch";
	}

	/** Where the recoveries record the Redis run ids they saw (never under an epoch). */
	public String runIds() {
		return this.namespace + "runids";
	}

	/** The pub/sub channel of near cache invalidations. */
	public String invalidationChannel() {
		return this.namespace + "invalidations";
	}

	/** An item in the near cache: the same in every epoch. */
	public String nearItem(String region, String id) {
		return this.namespace + checkRegion(region) + ":{" + encodeId(id) + "}";
	}

	/** A query result in the near cache. */
	public String nearQuery(String region, QueryKind kind, String canonicalQuery) {
		return nearQueries(region) + kind(kind) + ":" + Sha256.hex(canonicalQuery);
	}

	/** What every near cache key of a region's query results starts with. */
	public String nearQueries(String region) {
		return this.namespace + checkRegion(region) + ":q:";
	}

	/**
	 * The in-process coalescing key of origin reads made while Redis is bypassed: one per
	 * entry, whatever the epoch.
	 * @param nearKey the entry's near cache key
	 * @return the key
	 */
	public static String fallback(String nearKey) {
		return nearKey + ":fallback";
	}

	/**
	 * The in-process coalescing key of forced reloads ({@code no-cache}) of an entry.
	 * @param entry the entry's key
	 * @return the key
	 */
	public static String refresh(String entry) {
		return entry + ":refresh";
	}

	/**
	 * The SCAN pattern matching exactly this namespace: the prefix with glob
	 * metacharacters escaped, then {@code *}.
	 * @return the pattern
	 */
	public String namespacePattern() {
		return globEscaped(this.namespace) + "*";
	}

	/**
	 * The SCAN pattern matching the keys of a region in this epoch.
	 * @param region the region
	 * @return the pattern
	 */
	public String regionPattern(String region) {
		return globEscaped(this.prefix + checkRegion(region) + ":") + "*";
	}

	/** The configured prefix of every key. */
	public String namespace() {
		return this.namespace;
	}

	private static String globEscaped(String text) {
		StringBuilder pattern = new StringBuilder();
		for (char c : text.toCharArray()) {
			if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\' || c == '^' || c == '-') {
				pattern.append('\\');
			}
			pattern.append(c);
		}
		return pattern.toString();
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
		return (encoded.length() <= MAX_ENCODED_ID) ? encoded.toString() : "~" + Sha256.hex(id);
	}

	private static String kind(QueryKind kind) {
		return kind.name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Checks a region name: it becomes part of every key of the region.
	 * @param region the name
	 * @return the name
	 * @throws IllegalArgumentException if it is not {@code [a-z][a-z0-9-]{0,39}}
	 */
	public static String checkRegion(String region) {
		Assert.isTrue(region != null && REGION.matcher(region).matches(),
				() -> "region must match " + REGION + ": " + region);
		return region;
	}

	/**
	 * The keys of one entity: its entry, its load lock and its last written version.
	 *
	 * @param entry the entry
	 * @param lock its load lock
	 * @param version its last written version
	 */
	public record ItemKeys(String entry, String lock, String version) {

		public EntryKeys entryKeys() {
			return new EntryKeys(this.entry, this.lock);
		}

		/** The last change stream position applied to the entity (same hash tag). */
		public String changed() {
			return this.entry + ":changed";
		}

	}

	/**
	 * A cache entry and the lock that guards loading it.
	 *
	 * @param entry the entry
	 * @param lock its load lock
	 */
	public record EntryKeys(String entry, String lock) {

	}

}
