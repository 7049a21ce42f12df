package io.productstore.cache;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * What a feature holds to cache one kind of entity (a region): reads of one entity by id
 * and of query results (list pages, counts) through this instance's memory, Redis and the
 * origin, with stampede protection and stale-set prevention; and the writes that keep
 * every level of every instance from serving an older value. Obtained from
 * {@link Caches#region(String)}. See {@code docs/caching.md}.
 */
public final class CacheRegion {

	private final String name;

	private final ReadPath reads;

	private final WritePath writes;

	CacheRegion(String name, ReadPath reads, WritePath writes) {
		this.name = name;
		this.reads = reads;
		this.writes = writes;
	}

	/**
	 * Reads one entity by id. An empty origin result is cached as a negative entry for
	 * {@code app.cache.ttl.negative}.
	 * @param <T> the value type
	 * @param id the id (any text: it is escaped)
	 * @param type the value type
	 * @param origin reads the entity from the origin; empty if there is none
	 * @param bypass skip every cached copy, read the origin and refresh Redis
	 * @return the value (null for a negative entry), its JSON and how it was served
	 */
	public <T> Mono<CachedRead<T>> item(String id, Class<T> type, Supplier<Mono<T>> origin, boolean bypass) {
		return this.reads.item(this.name, id, type, origin, bypass);
	}

	/**
	 * The entity as this instance's memory holds it, without asking Redis or the origin:
	 * for a caller with a faster way to answer what memory serves. Counted and refreshed
	 * early as a hit of {@link #item} is.
	 * @param <T> the value type
	 * @param id the id
	 * @param type the value type
	 * @param origin reads the entity from the origin, for an early refresh
	 * @return the read (its value null for a negative entry), or {@code null} when memory
	 * holds none
	 */
	public <T> @Nullable CachedRead<T> heldItem(String id, Class<T> type, Supplier<Mono<T>> origin) {
		return this.reads.heldItem(this.name, id, type, origin);
	}

	/**
	 * Reads a query result (a list page or a count) for a canonical query string, keyed
	 * by its digest under the region's current generation.
	 * @param <T> the value type
	 * @param kind list page or count
	 * @param canonicalQuery the query with its parameters sorted and normalised
	 * @param type the value type
	 * @param origin runs the query against the origin
	 * @param bypass skip every cached copy, read the origin and refresh Redis
	 * @return the value, its JSON (and digest, for weak entity tags) and how it was
	 * served
	 */
	public <T> Mono<CachedRead<T>> query(QueryKind kind, String canonicalQuery, Class<T> type, Supplier<Mono<T>> origin,
			boolean bypass) {
		return this.reads.query(this.name, kind, canonicalQuery, type, origin, bypass);
	}

	/**
	 * Records a successful write of an entity: replaces its entry in Redis (refusing a
	 * version older than or equal to the last one written, so two writers whose cache
	 * updates arrive out of order leave the newer value), cancels the lease of any load
	 * in flight, makes every list and count of the region unreachable, drops this
	 * instance's near copies and tells every other instance to drop theirs. Never fails.
	 * @param id the id
	 * @param value the entity as written
	 * @param version its version after the write
	 * @return completion
	 */
	public Mono<Void> written(String id, Object value, long version) {
		return this.writes.written(this.name, id, value, version, true);
	}

	/**
	 * Like {@link #written(String, Object, long)} for a write without a version: the
	 * entry is replaced whatever was written before.
	 * @param id the id
	 * @param value the entity as written
	 * @return completion
	 */
	public Mono<Void> written(String id, Object value) {
		return this.writes.written(this.name, id, value, null, true);
	}

	/**
	 * Records a successful delete: like a write whose value is gone.
	 * @param id the id
	 * @param version the version of the deleted entity
	 * @return completion
	 */
	public Mono<Void> deleted(String id, long version) {
		return this.writes.written(this.name, id, null, version, true);
	}

	/**
	 * Records a successful delete whose version is not known: the entry goes whatever was
	 * written before.
	 * @param id the id
	 * @return completion
	 */
	public Mono<Void> deleted(String id) {
		return this.writes.written(this.name, id, null, null, true);
	}

	/**
	 * Records a write whose outcome is not known (it may or may not have been applied):
	 * the entry goes everywhere and the region's lists and counts become unreachable, so
	 * the next read sees whatever the origin holds.
	 * @param id the id
	 * @return completion
	 */
	public Mono<Void> invalidate(String id) {
		return this.writes.written(this.name, id, null, null, true);
	}

	/**
	 * Drops one entity's entry everywhere (and cancels an in-flight load's lease); lists
	 * and counts are kept.
	 * @param id the id
	 * @return completion
	 */
	public Mono<Void> evict(String id) {
		return this.writes.written(this.name, id, null, null, false);
	}

	public String name() {
		return this.name;
	}

}
