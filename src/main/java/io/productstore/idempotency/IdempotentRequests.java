package io.productstore.idempotency;

import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

/**
 * Performs a keyed request at most once per caller and key: the first request claims the
 * key and performs it, a repeat of the same request gets its recorded response, another
 * request with the key a 422, a repeat while the first still runs a 409, and every keyed
 * request a 503 while Redis cannot be asked.
 */
public class IdempotentRequests {

	private static final Log logger = LogFactory.getLog(IdempotentRequests.class);

	private final IdempotencyRecords records;

	private final IdempotencyProperties properties;

	IdempotentRequests(IdempotencyRecords records, IdempotencyProperties properties) {
		this.records = records;
		this.properties = properties;
	}

	/**
	 * Performs a request unless its key was used before.
	 * @param key the caller's key
	 * @param fingerprint a digest of everything that makes the request this request
	 * (method, path, normalised body)
	 * @param newResourceId the id of the resource to create, should the key be new
	 * @param action performs the request with the resource id the key's record holds;
	 * every attempt of one key gets the same id, so an attempt that repeats an earlier
	 * one whose outcome was not known must treat "that id exists" as its own success
	 * @return the response and whether it is a replay; an
	 * {@link IdempotencyRefusedException} if the request is not performed
	 */
	public Mono<Outcome> perform(IdempotencyKey key, String fingerprint, Supplier<String> newResourceId,
			Function<String, Mono<RecordedResponse>> action) {
		String token = UUID.randomUUID().toString();
		String digest = IdempotencyKey.sha256(fingerprint);
		Mono<Outcome> whole = Mono.defer(() -> this.records.claim(key, digest, token, newResourceId.get()))
			.onErrorMap((ex) -> unavailable("claim", ex))
			.flatMap((claim) -> answer(claim, key, digest, token, action));
		// A client that disconnects must not leave its claim held until the lease lapses
		// (every repeat would get 409 meanwhile): the claim, the request and its record
		// run
		// to their end detached from the caller, who gets the result if still there. The
		// caller's context (its request id for the logs) goes with the run.
		return Mono.deferContextual((context) -> {
			Mono<Outcome> running = whole.contextWrite(context).cache();
			running.subscribe(null, (ex) -> {
				// The caller gets the error; this subscriber only keeps the run alive.
			});
			return running;
		});
	}

	private Mono<Outcome> answer(Claim claim, IdempotencyKey key, String digest, String token,
			Function<String, Mono<RecordedResponse>> action) {
		if (claim instanceof Claim.Granted granted) {
			return performClaimed(key, digest, token, granted.resourceId(), action);
		}
		if (claim instanceof Claim.Performed performed) {
			return Mono.just(new Outcome(performed.response(), true));
		}
		if (claim instanceof Claim.InProgress) {
			return Mono.error(IdempotencyRefusedException.inProgress(this.properties.retryAfter()));
		}
		return Mono.error(IdempotencyRefusedException.keyReused());
	}

	private Mono<Outcome> performClaimed(IdempotencyKey key, String digest, String token, String resourceId,
			Function<String, Mono<RecordedResponse>> action) {
		return action.apply(resourceId)
			.onErrorResume((ex) -> release(key, token).then(Mono.error(ex)))
			.flatMap((response) -> this.records.complete(key, digest, resourceId, response)
				// Performed but not recorded: the lease lapses, and a repeat performs it
				// again with the same resource id, which finds it created.
				.onErrorResume((ex) -> {
					logger.warn("Could not record the response of an idempotent request (" + ex + "); a repeat "
							+ "after " + this.properties.lease().toSeconds() + " s resolves it by its resource id");
					return Mono.just(false);
				})
				.thenReturn(new Outcome(response, false)));
	}

	/** A failed request is not recorded: a retry with the key is granted it at once. */
	private Mono<Boolean> release(IdempotencyKey key, String token) {
		return this.records.release(key, token).onErrorResume((ex) -> {
			logger.warn("Could not release the claim of a failed idempotent request (" + ex
					+ "); its key is free again when the lease lapses");
			return Mono.just(false);
		});
	}

	private Throwable unavailable(String step, Throwable ex) {
		logger.warn("Refusing a keyed request: the idempotency " + step + " failed in Redis (" + ex + ")");
		return IdempotencyRefusedException.unavailable(this.properties.retryAfter());
	}

	/**
	 * What a keyed request answers.
	 *
	 * @param response the response
	 * @param replayed whether it is the recorded response of an earlier request
	 */
	public record Outcome(RecordedResponse response, boolean replayed) {

	}

}
