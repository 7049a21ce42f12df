package io.productstore.cache.admin;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.productstore.cache.CacheAvailabilityChanged;
import io.productstore.cache.CacheProperties;
import io.productstore.cache.CacheWarmer;
import io.productstore.cache.outage.CacheResilience;
import io.productstore.logging.RequestLogging;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * Runs every {@link CacheWarmer} bean, one after the other, at startup (when
 * {@code app.cache.warmup.enabled}; deferred until Redis is available if it is not at
 * startup) and on demand, logging progress.
 */
public final class CacheWarmup {

	private static final Log logger = LogFactory.getLog(CacheWarmup.class);

	private final ObjectProvider<CacheWarmer> warmers;

	private final CacheProperties properties;

	private final CacheResilience resilience;

	private final AtomicBoolean startupPending = new AtomicBoolean();

	public CacheWarmup(ObjectProvider<CacheWarmer> warmers, CacheProperties properties, CacheResilience resilience) {
		this.warmers = warmers;
		this.properties = properties;
		this.resilience = resilience;
	}

	@EventListener(ApplicationReadyEvent.class)
	void warmUpAtStartup() {
		if (this.properties.enabled() && this.properties.warmup().enabled()) {
			// Warming while Redis is bypassed would only read MongoDB for nothing.
			this.startupPending.set(true);
			if (this.resilience.available()) {
				startupWarmUp();
			}
			else {
				logger.info("Cache warm-up deferred until Redis is available");
			}
		}
	}

	@EventListener
	void cacheAvailabilityChanged(CacheAvailabilityChanged event) {
		if (event.available()) {
			startupWarmUp();
		}
	}

	private void startupWarmUp() {
		if (this.startupPending.compareAndSet(true, false)) {
			warmUp().subscribe(null, (ex) -> logger.warn("Cache warm-up failed", ex));
		}
	}

	Mono<WarmupResult> warmUp() {
		if (!this.properties.enabled()) {
			return Mono.just(new WarmupResult(0, 0, 0));
		}
		List<CacheWarmer> all = this.warmers.orderedStream().toList();
		return RequestLogging.logThen(() -> logger.info("Cache warm-up started with " + all.size() + " warmer(s)"),
				() -> Flux.fromIterable(all)
					.index()
					.concatMap((indexed) -> warmUp(indexed.getT2(), indexed.getT1() + 1, all.size()))
					.reduce(new WarmupResult(all.size(), 0, 0), WarmupResult::plus)
					.doOnEach(RequestLogging.onNext((result) -> logger.info("Cache warm-up finished: "
							+ result.entries() + " entries, " + result.failedWarmers() + " warmer(s) failed"))));
	}

	private Mono<WarmupResult> warmUp(CacheWarmer warmer, long number, int total) {
		String name = warmer.getClass().getSimpleName();
		return Mono.defer(warmer::warmUp)
			.defaultIfEmpty(0L)
			.doOnEach(RequestLogging.onNext((entries) -> logger
				.info("Cache warm-up " + number + "/" + total + " (" + name + "): " + entries + " entries")))
			.map((entries) -> new WarmupResult(0, entries, 0))
			.onErrorResume((ex) -> RequestLogging.logThen(
					() -> logger
						.warn("Cache warm-up " + number + "/" + total + " (" + name + ") failed: " + ex.getMessage()),
					() -> Mono.just(new WarmupResult(0, 0, 1))));
	}

	/**
	 * The outcome of a warm-up, returned by {@code POST /api/cache/warmup}.
	 *
	 * @param warmers the warmers run
	 * @param entries the entries they warmed
	 * @param failedWarmers the warmers that failed
	 */
	record WarmupResult(int warmers, long entries, int failedWarmers) {

		WarmupResult plus(WarmupResult other) {
			return new WarmupResult(this.warmers + other.warmers, this.entries + other.entries,
					this.failedWarmers + other.failedWarmers);
		}

	}

}
