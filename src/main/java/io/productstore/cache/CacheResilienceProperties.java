package io.productstore.cache;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the cache survives a slow, hung or restarted Redis, under
 * {@code app.cache.resilience}; see "Outages and recovery" in {@code docs/caching.md}.
 *
 * @param timeout bound of every Redis call of the engine: a request never waits longer on
 * Redis, whatever state it is in
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
public record CacheResilienceProperties(@DefaultValue("50ms") Duration timeout,
		@DefaultValue("10s") Duration recoveryTimeout, @DefaultValue Breaker breaker,
		@DefaultValue("10000") int journalSize, @DefaultValue("60s") Duration epochBumpAfter,
		@DefaultValue("1s") Duration heartbeat) {

	public CacheResilienceProperties {
		timeout = (timeout != null) ? timeout : Duration.ofMillis(50);
		recoveryTimeout = (recoveryTimeout != null) ? recoveryTimeout : Duration.ofSeconds(10);
		breaker = (breaker != null) ? breaker : new Breaker(0, 0, 0, null, 0, null, 0);
		journalSize = (journalSize > 0) ? journalSize : 10_000;
		epochBumpAfter = (epochBumpAfter != null) ? epochBumpAfter : Duration.ofSeconds(60);
		heartbeat = (heartbeat != null) ? heartbeat : Duration.ofSeconds(1);
	}

	/**
	 * The defaults, for engines built outside Spring (tests, tools).
	 * @return the defaults
	 */
	public static CacheResilienceProperties defaults() {
		return new CacheResilienceProperties(null, null, null, 0, null, null);
	}

	/**
	 * Defaults with call bounds of 10 s instead of the request path's tight ones, for
	 * engines built outside Spring (tests, tools) on machines where a loaded CPU would
	 * otherwise trip the breaker.
	 * @return the lenient properties
	 */
	public static CacheResilienceProperties lenient() {
		Duration bound = Duration.ofSeconds(10);
		return new CacheResilienceProperties(bound, bound, new Breaker(0, 0, 0, bound, 0, null, 0), 0, null, null);
	}

	/**
	 * The Resilience4j circuit breaker {@code redis-cache}. The library's defaults (a
	 * 100-call window and minimum, 60 s open) would let a 5 s hang pass without opening
	 * at low traffic, and would keep a recovered Redis unused for a minute.
	 *
	 * @param slidingWindowSize calls the failure and slow-call rates are computed over
	 * @param minimumNumberOfCalls calls needed before the rates are evaluated
	 * @param failureRateThreshold percentage of failed calls (errors and timeouts) that
	 * opens the breaker
	 * @param slowCallDurationThreshold a call slower than this counts as slow: just under
	 * the timeout, so a Redis that answers but barely is caught before it times out
	 * @param slowCallRateThreshold percentage of slow calls that opens the breaker
	 * @param waitInOpenState how long the breaker stays open before the recovery probes
	 * Redis again
	 * @param permittedCallsInHalfOpenState trial calls in the half-open state; the
	 * recovery's own calls are the trial
	 */
	public record Breaker(@DefaultValue("20") int slidingWindowSize, @DefaultValue("10") int minimumNumberOfCalls,
			@DefaultValue("50") float failureRateThreshold, @DefaultValue("40ms") Duration slowCallDurationThreshold,
			@DefaultValue("50") float slowCallRateThreshold, @DefaultValue("2s") Duration waitInOpenState,
			@DefaultValue("2") int permittedCallsInHalfOpenState) {

		public Breaker {
			slidingWindowSize = (slidingWindowSize > 0) ? slidingWindowSize : 20;
			minimumNumberOfCalls = (minimumNumberOfCalls > 0) ? minimumNumberOfCalls : 10;
			failureRateThreshold = (failureRateThreshold > 0) ? failureRateThreshold : 50;
			slowCallDurationThreshold = (slowCallDurationThreshold != null) ? slowCallDurationThreshold
					: Duration.ofMillis(40);
			slowCallRateThreshold = (slowCallRateThreshold > 0) ? slowCallRateThreshold : 50;
			waitInOpenState = (waitInOpenState != null) ? waitInOpenState : Duration.ofSeconds(2);
			permittedCallsInHalfOpenState = (permittedCallsInHalfOpenState > 0) ? permittedCallsInHalfOpenState : 2;
		}

	}

}
