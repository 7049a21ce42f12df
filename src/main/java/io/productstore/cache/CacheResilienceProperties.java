package io.productstore.cache;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the cache survives a slow, hung or restarted Redis, under
 * {@code app.cache.resilience}; see "Outages and recovery" in {@code docs/caching.md}.
 *
 * @param timeout bound of every Redis call of the engine: a request never waits longer on
 * Redis, whatever state it is in. Long enough that a busy host's scheduling delay (a
 * loopback Redis answers in well under a millisecond, but a saturated 2-core host can
 * leave a reply waiting in the event loop for hundreds) is not mistaken for an
 * unresponsive Redis, short enough that reads during a hang stay under a second
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
public record CacheResilienceProperties(@DefaultValue("500ms") Duration timeout,
		@DefaultValue("10s") Duration recoveryTimeout, @DefaultValue Breaker breaker,
		@DefaultValue("10000") int journalSize, @DefaultValue("60s") Duration epochBumpAfter,
		@DefaultValue("1s") Duration heartbeat) {

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
	 * default equals the timeout, so only calls that fail or time out open the breaker: a
	 * slow call measured in this process is more often this process's own CPU starvation
	 * than a slow Redis
	 * @param slowCallRateThreshold percentage of slow calls that opens the breaker
	 * @param waitInOpenState how long the breaker stays open before the recovery probes
	 * Redis again
	 * @param permittedCallsInHalfOpenState trial calls in the half-open state; the
	 * recovery's own calls are the trial
	 */
	public record Breaker(@DefaultValue("20") int slidingWindowSize, @DefaultValue("10") int minimumNumberOfCalls,
			@DefaultValue("50") float failureRateThreshold, @DefaultValue("500ms") Duration slowCallDurationThreshold,
			@DefaultValue("50") float slowCallRateThreshold, @DefaultValue("2s") Duration waitInOpenState,
			@DefaultValue("2") int permittedCallsInHalfOpenState) {

	}

}
