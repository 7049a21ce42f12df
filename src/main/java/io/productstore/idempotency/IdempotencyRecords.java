package io.productstore.idempotency;

import java.time.Duration;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * The idempotency records in Redis: claim, complete and release, each one script on one
 * key, each bounded by {@code app.idempotency.timeout}.
 */
class IdempotencyRecords {

	private final ReactiveStringRedisTemplate redis;

	private final String namespace;

	private final IdempotencyProperties properties;

	IdempotencyRecords(ReactiveStringRedisTemplate redis, String namespace, IdempotencyProperties properties) {
		this.redis = redis;
		this.namespace = namespace;
		this.properties = properties;
	}

	/**
	 * Claims a key for a request.
	 * @param key the caller's key
	 * @param fingerprint digest of the request
	 * @param token identifies this request's lease
	 * @param newResourceId the resource id to record if the key is new
	 * @return what the claim found; an error if Redis did not answer in time
	 */
	Mono<Claim> claim(IdempotencyKey key, String fingerprint, String token, String newResourceId) {
		return bounded(this.redis
			.execute(IdempotencyScripts.CLAIM, List.of(key.redisKey(this.namespace)), List.of(fingerprint, token,
					newResourceId, millis(this.properties.lease()), millis(this.properties.ttl())))
			.next()).map(IdempotencyRecords::claim);
	}

	Mono<Boolean> complete(IdempotencyKey key, String fingerprint, String resourceId, RecordedResponse response) {
		return bounded(this.redis.execute(IdempotencyScripts.COMPLETE, List.of(key.redisKey(this.namespace)),
				List.of(fingerprint, resourceId, Integer.toString(response.status()), orEmpty(response.location()),
						orEmpty(response.etag()), response.body(), millis(this.properties.ttl())))
			.next()).map((completed) -> completed == 1L);
	}

	Mono<Boolean> release(IdempotencyKey key, String token) {
		return bounded(
				this.redis.execute(IdempotencyScripts.RELEASE, List.of(key.redisKey(this.namespace)), List.of(token))
					.next())
			.map((released) -> released == 1L);
	}

	private <T> Mono<T> bounded(Mono<T> call) {
		return call.timeout(this.properties.timeout());
	}

	private static Claim claim(List<?> reply) {
		String outcome = String.valueOf(reply.get(0));
		return switch (outcome) {
			case "granted" -> new Claim.Granted(String.valueOf(reply.get(1)));
			case "performed" -> new Claim.Performed(new RecordedResponse(Integer.parseInt(String.valueOf(reply.get(1))),
					orNull(reply.get(2)), orNull(reply.get(3)), String.valueOf(reply.get(4))));
			case "running" -> new Claim.InProgress();
			case "mismatch" -> new Claim.OtherRequest();
			default -> throw new IllegalStateException("Unexpected claim reply " + outcome);
		};
	}

	private static String millis(Duration duration) {
		return Long.toString(duration.toMillis());
	}

	private static String orEmpty(String text) {
		return (text != null) ? text : "";
	}

	private static String orNull(Object text) {
		String value = String.valueOf(text);
		return value.isEmpty() ? null : value;
	}

}
