package io.productstore.idempotency;

/**
 * What the claim of a key found, as decided atomically in Redis.
 */
sealed interface Claim {

	/**
	 * This request holds the key and performs it, creating the resource with this id.
	 *
	 * @param resourceId the id chosen by the first request that claimed the key
	 */
	record Granted(String resourceId) implements Claim {
	}

	/**
	 * The key's request was performed: its response is replayed.
	 *
	 * @param response what it answered
	 */
	record Performed(RecordedResponse response) implements Claim {
	}

	/** Another request holds the key and has not answered yet. */
	record InProgress() implements Claim {
	}

	/** The key was used with another request. */
	record OtherRequest() implements Claim {
	}

}
