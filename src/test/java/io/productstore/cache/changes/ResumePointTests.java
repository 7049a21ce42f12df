package io.productstore.cache.changes;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ResumePoint}: its stored form, and positions that compare as strings
 * as they do as numbers.
 */
class ResumePointTests {

	@Test
	void readsBackWhatItStores() {
		ResumePoint point = new ResumePoint(new BsonDocument("_data", new BsonString("826B0F")), null, 42);
		assertThat(ResumePoint.decode(point.encode())).isEqualTo(point);
	}

	@Test
	void refusesWhatItDidNotStore() {
		assertThat(ResumePoint.decode("garbage")).isNull();
		assertThat(ResumePoint.decode("0000000000000000004x {}")).isNull();
		assertThat(ResumePoint.decode("00000000000000000042 not json")).isNull();
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
