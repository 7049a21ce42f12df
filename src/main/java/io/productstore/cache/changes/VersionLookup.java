package io.productstore.cache.changes;

import java.util.List;
import java.util.Map;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/**
 * The current versions of changed documents whose events did not tell them (an update
 * that did not set the version, a replace on a server that sends no full document), read
 * in one query per batch. A current version is at least the one the change made, which is
 * all the version record needs: a late write-through of anything older is refused.
 */
final class VersionLookup {

	private static final Log logger = LogFactory.getLog(VersionLookup.class);

	private final ReactiveMongoTemplate mongo;

	VersionLookup(ReactiveMongoTemplate mongo) {
		this.mongo = mongo;
	}

	/**
	 * The versions of the documents that still exist.
	 * @param collection their collection
	 * @param versionField the field of the version
	 * @param keys their {@code _id}s
	 * @return per region id, the version; empty when MongoDB cannot be read (the entries
	 * are then removed without raising their version record)
	 */
	Mono<Map<String, Long>> versions(String collection, String versionField, List<BsonValue> keys) {
		if (keys.isEmpty() || versionField == null) {
			return Mono.just(Map.of());
		}
		return this.mongo.getCollection(collection)
			.flatMapMany((documents) -> documents.withDocumentClass(BsonDocument.class)
				.find(Filters.in("_id", keys))
				.projection(Projections.include(versionField)))
			.filter((document) -> document.isNumber(versionField))
			.collectMap((document) -> ChangeEvent.regionId(document.get("_id")),
					(document) -> document.getNumber(versionField).longValue())
			.onErrorResume((ex) -> {
				logger.debug("Could not look up the versions of " + keys.size() + " changed documents", ex);
				return Mono.just(Map.of());
			});
	}

}
