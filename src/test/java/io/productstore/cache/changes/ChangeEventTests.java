package io.productstore.cache.changes;

import java.time.Instant;

import com.mongodb.MongoClientSettings;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import io.productstore.cache.changes.ChangeEvent.Effect;
import org.bson.BsonDocument;
import org.bson.BsonDocumentReader;
import org.bson.Document;
import org.bson.codecs.DecoderContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChangeEvent}: what each change stream event invalidates, and the
 * version and time read from it.
 */
class ChangeEventTests {

	private static final String ID = "6b0f5df8dafb5cc3afbf4af1";

	@Test
	void readsTheVersionOfAnInsertOrReplaceFromItsFullDocument() {
		ChangeEvent insert = event("insert",
				", fullDocument: {_id: {$oid: '" + ID + "'}, version: {$numberLong: '0'}}");
		assertThat(insert.effect()).isEqualTo(Effect.CHANGED);
		assertThat(insert.id()).isEqualTo(ID);
		assertThat(insert.version()).isZero();
		assertThat(event("replace", ", fullDocument: {version: 4}").version()).isEqualTo(4);
	}

	@Test
	void readsTheVersionOfAnUpdateFromItsUpdatedFieldsIfItChangedIt() {
		assertThat(event("update", ", updateDescription: {updatedFields: {version: 7, stock: 2}, removedFields: []}")
			.version()).isEqualTo(7);
		assertThat(event("update", ", updateDescription: {updatedFields: {stock: 2}, removedFields: []}").version())
			.isNull();
		assertThat(event("update", "").version()).isNull();
	}

	@Test
	void tellsDeletesAndChangesOfTheWholeCollectionApart() {
		assertThat(event("delete", "").effect()).isEqualTo(Effect.REMOVED);
		assertThat(event("drop", "").effect()).isEqualTo(Effect.EVERYTHING);
		assertThat(event("invalidate", "").effect()).isEqualTo(Effect.EVERYTHING);
		assertThat(event("createIndexes", "").effect()).isEqualTo(Effect.NOTHING);
	}

	@Test
	void aDocumentWhoseIdTheRegionCannotNameInvalidatesEverything() {
		ChangeEvent event = ChangeEvent.of(decode(
				"{_id: {_data: '01'}, operationType: 'update', clusterTime: {$timestamp: {t: 1700000000, i: 3}}, "
						+ "documentKey: {_id: {a: 1}}}"),
				"version");
		assertThat(event.effect()).isEqualTo(Effect.EVERYTHING);
		assertThat(ChangeEvent.regionId(new org.bson.BsonString("sku-1"))).isEqualTo("sku-1");
		assertThat(ChangeEvent.regionId(new org.bson.BsonInt64(42))).isEqualTo("42");
	}

	@Test
	void timesAChangeByItsWallTimeElseByItsClusterTime() {
		assertThat(event("update", ", wallTime: {$date: '2026-01-02T03:04:05.678Z'}").time())
			.isEqualTo(Instant.parse("2026-01-02T03:04:05.678Z"));
		ChangeEvent event = event("update", "");
		assertThat(event.time()).isEqualTo(Instant.ofEpochSecond(1700000000));
		assertThat(event.position()).isEqualTo((1700000000L << 32) | 3);
	}

	private static ChangeEvent event(String operation, String more) {
		return ChangeEvent.of(decode("{_id: {_data: '01'}, operationType: '" + operation
				+ "', clusterTime: {$timestamp: {t: 1700000000, i: 3}}, documentKey: {_id: {$oid: '" + ID + "'}}" + more
				+ "}"), "version");
	}

	private static ChangeStreamDocument<Document> decode(String json) {
		return ChangeStreamDocument.createCodec(Document.class, MongoClientSettings.getDefaultCodecRegistry())
			.decode(new BsonDocumentReader(BsonDocument.parse(json)), DecoderContext.builder().build());
	}

}
