package io.productstore.cache.changes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.productstore.cache.changes.ChangeEvent.Effect;
import org.bson.BsonValue;

/**
 * A batch of a region's changes, collapsed to one invalidation per document: the last
 * position it changed at and the highest version it reached (a delete counts as
 * {@link ChangeScripts#DELETED}), as applying the changes one by one would leave them.
 *
 * @param events the changes, in stream order
 * @param targets per region id, the document to invalidate
 * @param everything whether a change invalidates the whole region
 * @param last the last change
 */
record ChangeBatch(List<ChangeEvent> events, Map<String, Target> targets, boolean everything, ChangeEvent last) {

	static ChangeBatch of(List<ChangeEvent> events) {
		Map<String, Target> targets = new LinkedHashMap<>();
		boolean everything = false;
		for (ChangeEvent event : events) {
			everything |= event.effect() == Effect.EVERYTHING;
			if (event.effect() == Effect.CHANGED || event.effect() == Effect.REMOVED) {
				targets.merge(event.id(), Target.of(event), Target::then);
			}
		}
		return new ChangeBatch(events, targets, everything, events.get(events.size() - 1));
	}

	/** Whether any list or count of the region may have changed. */
	boolean changesQueries() {
		return this.everything || !this.targets.isEmpty();
	}

	/** The targets changed without the events telling their version. */
	List<BsonValue> versionsToLookUp() {
		return this.targets.values().stream().filter((target) -> target.version() == null).map(Target::key).toList();
	}

	/**
	 * This batch with versions found by a lookup of the current targets: at least the
	 * version each change made, which is all the version record needs.
	 */
	ChangeBatch withVersions(Map<String, Long> current) {
		Map<String, Target> targets = new LinkedHashMap<>(this.targets);
		current.forEach((id, version) -> targets.computeIfPresent(id,
				(ignored, target) -> (target.version() == null) ? target.withVersion(version) : target));
		return new ChangeBatch(this.events, targets, this.everything, this.last);
	}

	/**
	 * What a batch invalidates of one document.
	 *
	 * @param id the region's id
	 * @param key the document's {@code _id}
	 * @param position the position of its last change
	 * @param version the highest version it reached, null if not known
	 */
	record Target(String id, BsonValue key, long position, Long version) {

		static Target of(ChangeEvent event) {
			Long version = (event.effect() == Effect.REMOVED) ? Long.valueOf(ChangeScripts.DELETED) : event.version();
			return new Target(event.id(), event.documentId(), event.position(), version);
		}

		/** Merges a later change of the same document. */
		Target then(Target later) {
			Long version = (this.version == null || later.version == null) ? maxOrNull(this.version, later.version)
					: Long.valueOf(Math.max(this.version, later.version));
			return new Target(this.id, this.key, Math.max(this.position, later.position), version);
		}

		Target withVersion(long version) {
			return new Target(this.id, this.key, this.position, version);
		}

		/**
		 * A change without a version needs the lookup unless a delete (the highest
		 * version there is) came with it.
		 */
		private static Long maxOrNull(Long first, Long second) {
			Long known = (first != null) ? first : second;
			return (known != null && known == ChangeScripts.DELETED) ? known : null;
		}

	}

}
