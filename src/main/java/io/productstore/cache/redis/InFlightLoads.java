package io.productstore.cache.redis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/**
 * Coalesces concurrent loads of one key inside this instance: the first caller's load is
 * shared by every caller that arrives before it completes.
 */
public final class InFlightLoads {

	private final Map<String, Mono<?>> loads = new ConcurrentHashMap<>();

	@SuppressWarnings("unchecked")
	public <T> Mono<T> join(String key, Supplier<Mono<T>> load) {
		return Mono.defer(() -> (Mono<T>) this.loads.computeIfAbsent(key, (k) -> share(k, load)));
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
