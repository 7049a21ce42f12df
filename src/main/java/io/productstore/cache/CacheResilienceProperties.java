package io.productstore.cache;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the cache survives a slow, hung or restarted Redis, under
 * {@code app.cache.resilience}; see "Outages and recovery" in {@code docs/caching.md}.
 *
 * @param timeout the longest any Redis call of the engine waits, whatever the reason: a
 * request never waits longer on Redis. A call that waits this long counts as failed.
 * Long, because it is not what detects a hung Redis ({@code unresponsiveAfter} is): it
 * only gives up on a call queued behind this process's own work, and on a saturated
 * 2-core host that queue can hold a reply for hundreds of milliseconds while Redis
 * answers in well under one; a read cut short there goes to MongoDB, on the same starved
 * CPU
 * @param unresponsiveAfter how long calls may wait while Redis answers nothing at all:
 * then the waiting calls fail and the breaker opens at once. This is what detects a hung,
 * killed or blocked Redis, and bounds what a read or a write waits for it (reads during a
 * hang stay under a second); replies to other calls arriving meanwhile mean the wait is
 * this process's own, which this bound never counts
 * @param recoveryTimeout bound of each call of the recovery and the heartbeat, which are
 * off the request path (except the first recovery at startup, which the first reads wait
 * for) and may have to wait for a new connection
 * @param breaker the circuit breaker around those calls
 * @param journalSize invalidations kept while Redis is unreachable; beyond this the
 * global epoch is bumped on recovery instead of replaying them
 * @param epochBumpAfter an outage longer than this ends with an epoch bump even if the
 * journal held everything (other instances may have died with their own journals)
 * @param heartbeat how often each instance checks that Redis was not restarted behind its
 * back and picks up an epoch bumped by another instance
 */
@ConfigurationProperties("app.cache.resilience")
public record CacheResilienceProperties(@DefaultValue("2s") Duration timeout,
		@DefaultValue("500ms") Duration unresponsiveAfter, @DefaultValue("10s") Duration recoveryTimeout,
		@DefaultValue Breaker breaker, @DefaultValue("10000") int journalSize,
		@DefaultValue("60s") Duration epochBumpAfter, @DefaultValue("1s") Duration heartbeat) {

	/**
	 * The Resilience4j circuit breaker {@code redis-cache}. The library's defaults (a
	 * 100-call window and minimum, 60 s open) would let a 5 s hang pass without opening
	 * at low traffic, and would keep a recovered Redis unused for a minute.
	 *
	 * @param slidingWindowSize calls the failure and slow-call rates are computed over
	 * @param minimumNumberOfCalls calls needed before the rates are evaluated
	 * @param failureRateThreshold percentage of failed calls (errors and timeouts) that
	 * opens the breaker
	 * @param slowCallDurationThreshold a call slower than this counts as slow; the
	 * default equals the timeout, so only calls that fail, time out or meet an
	 * unresponsive Redis open the breaker: a slow call measured in this process is more
	 * often this process's own CPU starvation than a slow Redis
	 * @param slowCallRateThreshold percentage of slow calls that opens the breaker
	 * @param waitInOpenState how long the breaker stays open before the recovery probes
	 * Redis again
	 * @param permittedCallsInHalfOpenState trial calls in the half-open state; the
	 * recovery's own calls are the trial
	 */
	public record Breaker(@DefaultValue("20") int slidingWindowSize, @DefaultValue("10") int minimumNumberOfCalls,
			@DefaultValue("50") float failureRateThreshold, @DefaultValue("2s") Duration slowCallDurationThreshold,
			@DefaultValue("50") float slowCallRateThreshold, @DefaultValue("2s") Duration waitInOpenState,
			@DefaultValue("2") int permittedCallsInHalfOpenState) {

	}

}
