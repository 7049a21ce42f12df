package io.productstore.cache.redis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.productstore.cache.CacheMetrics;
import reactor.core.publisher.Mono;

/**
 * Coalesces concurrent loads of one key inside this instance: the first caller's load is
 * shared by every caller that arrives before it completes.
 */
public final class InFlightLoads {

	private final Map<String, Mono<?>> loads = new ConcurrentHashMap<>();

	private final CacheMetrics metrics;

	public InFlightLoads(CacheMetrics metrics) {
		this.metrics = metrics;
	}

	@SuppressWarnings("unchecked")
	public <T> Mono<T> join(String key, Supplier<Mono<T>> load) {
		return Mono.defer(() -> {
			boolean[] started = new boolean[1];
			Mono<T> shared = (Mono<T>) this.loads.computeIfAbsent(key, (k) -> {
				started[0] = true;
				return share(k, load);
			});
			if (!started[0]) {
				this.metrics.loadJoined();
			}
			return shared;
		});
	}

	/**
	 * Makes later callers start a new load (after a write, the running one may be old).
	 */
	public void forget(String key) {
		this.loads.remove(key);
	}

	public int size() {
		return this.loads.size();
	}

	private <T> Mono<T> share(String key, Supplier<Mono<T>> load) {
		Object[] self = new Object[1];
		Mono<T> shared = Mono.defer(load).doFinally((signal) -> this.loads.remove(key, self[0])).cache();
		self[0] = shared;
		return shared;
	}

}
