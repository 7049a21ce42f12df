package io.productstore.cache.changes;

import com.mongodb.MongoCommandException;
import com.mongodb.ServerAddress;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StreamState} and {@link ChangeStreamErrors}: the moves a stream may
 * make, and which failures end, restart or merely reopen it.
 */
class StreamStateTests {

	@Test
	void aSwitchedOffOrUnsupportedStreamNeverFollows() {
		assertThat(StreamState.DISABLED.canMoveTo(StreamState.STARTING)).isFalse();
		assertThat(StreamState.UNSUPPORTED.canMoveTo(StreamState.FOLLOWING)).isFalse();
		assertThat(StreamState.FOLLOWING.canMoveTo(StreamState.RESUMING)).isTrue();
		assertThat(StreamState.RESUMING.canMoveTo(StreamState.RESUMING)).isTrue();
		assertThat(StreamState.RESUMING.degraded()).isTrue();
		assertThat(StreamState.FOLLOWING.degraded()).isFalse();
	}

	@Test
	void tellsAStandaloneServerALostHistoryAndEverythingElseApart() {
		assertThat(ChangeStreamErrors.classify(failure(40573))).isInstanceOf(ChangeStreamErrors.Unsupported.class);
		assertThat(ChangeStreamErrors.classify(failure(286))).isInstanceOf(ChangeStreamErrors.HistoryLost.class);
		assertThat(ChangeStreamErrors.classify(failure(280))).isInstanceOf(ChangeStreamErrors.HistoryLost.class);
		// As Spring Data translates it.
		assertThat(ChangeStreamErrors.classify(new DataAccessResourceFailureException("wrapped", failure(260))))
			.isInstanceOf(ChangeStreamErrors.HistoryLost.class);
		MongoCommandException notPrimary = failure(10107);
		assertThat(ChangeStreamErrors.classify(notPrimary)).isSameAs(notPrimary);
	}

	private static MongoCommandException failure(int code) {
		return new MongoCommandException(new BsonDocument("ok", new BsonInt32(0)).append("code", new BsonInt32(code)),
				new ServerAddress());
	}

}
