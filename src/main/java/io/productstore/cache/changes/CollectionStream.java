package io.productstore.cache.changes;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.productstore.cache.CollectionChanges;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/**
 * What the change stream machinery asks MongoDB about one collection: its change stream
 * from a point (Spring Data's reactive change streams), whether a point can be resumed
 * from, the server's cluster time, and the current versions of changed documents.
 */
final class CollectionStream {

	private static final Log logger = LogFactory.getLog(CollectionStream.class);

	/**
	 * A server that reports no cluster time is taken to share this clock (the embedded
	 * one, in this JVM); starting a second early applies some changes twice, which is
	 * harmless.
	 */
	private static final Duration CLOCK_MARGIN = Duration.ofSeconds(1);

	private final CollectionChanges source;

	private final ReactiveMongoTemplate mongo;

	private final Clock clock;

	CollectionStream(CollectionChanges source, ReactiveMongoTemplate mongo, Clock clock) {
		this.source = source;
		this.mongo = mongo;
		this.clock = clock;
	}

	/** The collection's changes from a point on, as they come. */
	Flux<ChangeEvent> changes(ResumePoint from) {
		return this.mongo.changeStream(this.source.collection(), from.options(), Document.class)
			.map((change) -> ChangeEvent.of(change.getRaw(), this.source.versionField()));
	}

	/**
	 * Opens a stream at a point and closes it at once: fails as opening it would (a lost
	 * history, no change streams). A plain aggregate, since the driver's {@code first()}
	 * of a change stream waits for a first change.
	 */
	Mono<Void> probe(ResumePoint point) {
		Document aggregate = new Document("aggregate", this.source.collection())
			.append("pipeline", List.of(new Document("$changeStream", point.stage())))
			.append("cursor", new Document("batchSize", 1));
		return this.mongo.executeCommand(aggregate).flatMap((reply) -> {
			Object cursor = (reply.get("cursor") instanceof Document opened) ? opened.get("id") : null;
			if (!(cursor instanceof Number id) || id.longValue() == 0) {
				return Mono.empty();
			}
			return this.mongo
				.executeCommand(new Document("killCursors", this.source.collection()).append("cursors", List.of(id)))
				.onErrorResume((ex) -> Mono.empty())
				.then();
		}).then();
	}

	/**
	 * The server's cluster time: what a replica set reports as {@code operationTime}. It
	 * also proves the server reachable before a session decides anything.
	 */
	Mono<BsonTimestamp> serverTime() {
		return this.mongo.executeCommand(new Document("hello", 1))
			.map((reply) -> (reply.get("operationTime") instanceof BsonTimestamp time) ? time
					: new BsonTimestamp((int) this.clock.instant().minus(CLOCK_MARGIN).getEpochSecond(), 0));
	}

	/**
	 * The current versions of changed documents whose events did not tell them (an update
	 * that did not set the version, a replace on a server that sends no full document),
	 * in one query per batch. A current version is at least the one the change made,
	 * which is all the version record needs: a late write-through of anything older is
	 * refused.
	 * @param keys the documents' {@code _id}s
	 * @return per region id, the version of each document that still exists; empty when
	 * MongoDB cannot be read (the entries are then removed without raising their record)
	 */
	Mono<Map<String, Long>> versions(List<BsonValue> keys) {
		String versionField = this.source.versionField();
		if (keys.isEmpty() || versionField == null) {
			return Mono.just(Map.of());
		}
		return this.mongo.getCollection(this.source.collection())
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
