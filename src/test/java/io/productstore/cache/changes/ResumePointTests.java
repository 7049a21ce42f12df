package io.productstore.cache.changes;

import java.time.Instant;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ResumePoint} and {@link StoredPosition}: the stored form, and
 * positions that compare as strings as they do as numbers.
 */
class ResumePointTests {

	@Test
	void readsBackWhatItStoresAfterATokenOrAtAClusterTime() {
		Instant confirmed = Instant.ofEpochMilli(1_700_000_000_123L);
		StoredPosition afterToken = new StoredPosition(
				new ResumePoint(new BsonDocument("_data", new BsonString("826B0F")), null, 42), confirmed);
		assertThat(StoredPosition.decode(afterToken.encode())).isEqualTo(afterToken);
		StoredPosition atTime = new StoredPosition(ResumePoint.at(new BsonTimestamp(1_700_000_000, 2)), confirmed);
		assertThat(StoredPosition.decode(atTime.encode())).isEqualTo(atTime);
	}

	@Test
	void refusesWhatItDidNotStore() {
		assertThat(StoredPosition.decode("garbage")).isNull();
		assertThat(StoredPosition.decode("0000000000000000004x 1 {}")).isNull();
		assertThat(StoredPosition.decode("00000000000000000042 1700000000123 not json")).isNull();
		assertThat(StoredPosition.decode("00000000000000000042 {}")).isNull();
	}

	@Test
	void padsPositionsSoThatTheyCompareAsStringsAsAsNumbers() {
		long early = new BsonTimestamp(1_700_000_000, 9).getValue();
		long late = new BsonTimestamp(1_700_000_001, 1).getValue();
		assertThat(ResumePoint.padded(early)).hasSize(20).isLessThan(ResumePoint.padded(late));
		// Cluster times after 2038 set the top bit of the long.
		assertThat(ResumePoint.padded(-1L)).isEqualTo("18446744073709551615");
	}

	@Test
	void startsJustAfterAClusterTime() {
		ResumePoint point = ResumePoint.justAfter(new BsonTimestamp(1_700_000_000, 9));
		assertThat(point.time()).isEqualTo(new BsonTimestamp(1_700_000_000, 10));
		assertThat(point.stage()).containsKey("startAtOperationTime");
	}

}
