package io.productstore.ratelimit;

import java.util.concurrent.TimeUnit;

import io.github.bucket4j.ConsumptionProbe;

/**
 * The outcome of taking a token for one request, in the units of the response headers.
 *
 * @param allowed whether the request may proceed
 * @param limit the bucket's capacity ({@code RateLimit-Limit})
 * @param remaining tokens left ({@code RateLimit-Remaining})
 * @param resetSeconds seconds until the bucket is full again ({@code RateLimit-Reset})
 * @param retryAfterSeconds seconds until the next token, for a refused request
 * ({@code Retry-After})
 */
record RateLimitDecision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {

	static RateLimitDecision of(ConsumptionProbe probe, long limit) {
		long retryAfter = probe.isConsumed() ? 0 : Math.max(1, seconds(probe.getNanosToWaitForRefill()));
		return new RateLimitDecision(probe.isConsumed(), limit, Math.max(0, probe.getRemainingTokens()),
				Math.max(retryAfter, seconds(probe.getNanosToWaitForReset())), retryAfter);
	}

	private static long seconds(long nanos) {
		long perSecond = TimeUnit.SECONDS.toNanos(1);
		return (Math.max(0, nanos) + perSecond - 1) / perSecond;
	}

}
