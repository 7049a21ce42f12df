package io.productstore.cache.changes;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.productstore.cache.changes.ChangeEvent.Effect;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChangeBatch}: a batch leaves each document as applying its changes one
 * by one would.
 */
class ChangeBatchTests {

	@Test
	void keepsTheLastPositionAndTheHighestVersionOfEachDocument() {
		ChangeBatch batch = ChangeBatch.of(List.of(change("a", 1, 5L), change("b", 2, 1L), change("a", 3, 6L)));
		assertThat(batch.targets().get("a")).extracting(ChangeBatch.Target::position, ChangeBatch.Target::version)
			.containsExactly(3L, 6L);
		assertThat(batch.versionsToLookUp()).isEmpty();
		assertThat(batch.last().position()).isEqualTo(3);
		assertThat(batch.changesQueries()).isTrue();
	}

	@Test
	void looksUpTheVersionsTheEventsDidNotTell() {
		ChangeBatch batch = ChangeBatch.of(List.of(change("a", 1, 5L), change("a", 2, null), change("b", 3, null)));
		assertThat(batch.versionsToLookUp()).containsExactly(new BsonString("a"), new BsonString("b"));
		ChangeBatch looked = batch.withVersions(Map.of("a", 9L));
		assertThat(looked.targets().get("a").version()).isEqualTo(9);
		assertThat(looked.targets().get("b").version()).isNull();
	}

	@Test
	void aDeleteRecordsAVersionAboveEveryRealOneEvenIfTheDocumentCameBack() {
		ChangeBatch batch = ChangeBatch
			.of(List.of(change("a", 1, 5L), event(Effect.REMOVED, "a", 2, null), change("a", 3, null)));
		assertThat(batch.targets().get("a").version()).isEqualTo(ChangeScripts.DELETED);
		assertThat(batch.versionsToLookUp()).isEmpty();
	}

	@Test
	void aBatchWithoutDocumentChangesLeavesTheQueriesAlone() {
		ChangeBatch batch = ChangeBatch.of(List.of(event(Effect.NOTHING, null, 1, null)));
		assertThat(batch.changesQueries()).isFalse();
		assertThat(ChangeBatch.of(List.of(event(Effect.EVERYTHING, null, 1, null))).changesQueries()).isTrue();
	}

	static ChangeEvent change(String id, long position, Long version) {
		return event(Effect.CHANGED, id, position, version);
	}

	static ChangeEvent event(Effect effect, String id, long position, Long version) {
		return new ChangeEvent(effect, "update", id, (id != null) ? new BsonString(id) : null, version, position,
				Instant.now(), new BsonDocument("_data", new BsonString(Long.toHexString(position))));
	}

}
