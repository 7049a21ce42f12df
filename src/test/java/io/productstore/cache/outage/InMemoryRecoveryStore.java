package io.productstore.cache.outage;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.productstore.cache.CacheUnavailableException;
import io.productstore.cache.redis.CacheKeys;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A {@link RecoveryStore} in memory that answers at once, following the contract of each
 * call as {@link RedisRecoveryStore}'s scripts do, with failures and a held answer to
 * inject and a record of what was called.
 */
final class InMemoryRecoveryStore implements RecoveryStore {

	private final Map<String, Long> values = new ConcurrentHashMap<>();

	private final List<String> removed = new CopyOnWriteArrayList<>();

	private final List<String> generationBumps = new CopyOnWriteArrayList<>();

	private final Map<Call, AtomicInteger> calls = new ConcurrentHashMap<>();

	private final Set<Call> failing = ConcurrentHashMap.newKeySet();

	private volatile String runIds = "run-1;";

	private final Map<String, String> recordedRunIds = new HashMap<>();

	private volatile Sinks.One<String> held;

	private volatile Runnable onRemove = () -> {
	};

	/** Redis as if restarted: a new {@code run_id}, the data kept (persistence). */
	void restart(String runIds) {
		this.runIds = runIds;
	}

	/** Makes the calls fail, as a Redis that is down does. */
	void fail(Call... calls) {
		this.failing.addAll(List.of(calls));
	}

	void heal() {
		this.failing.clear();
	}

	/**
	 * Holds the next answers to {@code runIds} until the returned sink is given one: a
	 * recovery stays running meanwhile.
	 */
	Sinks.One<String> holdRunIds() {
		Sinks.One<String> sink = Sinks.one();
		this.held = sink;
		return sink;
	}

	/** Runs before each item removal answers (to journal more meanwhile, say). */
	void onRemove(Runnable action) {
		this.onRemove = action;
	}

	/** Another instance sets the epoch, or it is lost (null). */
	void epoch(String key, Long epoch) {
		if (epoch != null) {
			this.values.put(key, epoch);
		}
		else {
			this.values.remove(key);
		}
	}

	Long stored(String key) {
		return this.values.get(key);
	}

	List<String> removed() {
		return this.removed;
	}

	List<String> generationBumps() {
		return this.generationBumps;
	}

	int calls(Call call) {
		return this.calls.computeIfAbsent(call, (ignored) -> new AtomicInteger()).get();
	}

	@Override
	public Mono<String> runIds() {
		Sinks.One<String> sink = this.held;
		if (sink != null) {
			this.held = null;
			return this.<String>call(Call.RUN_IDS, () -> null).switchIfEmpty(sink.asMono());
		}
		return call(Call.RUN_IDS, () -> this.runIds);
	}

	@Override
	public Mono<String> recordRunIds(String key, String ids) {
		return call(Call.RECORD_RUN_IDS, () -> {
			synchronized (this.recordedRunIds) {
				String previous = this.recordedRunIds.getOrDefault(key, "");
				this.recordedRunIds.put(key, ids);
				return previous;
			}
		});
	}

	@Override
	public Mono<Long> syncEpoch(String key, long local) {
		return call(Call.SYNC_EPOCH, () -> {
			synchronized (this.values) {
				long stored = this.values.getOrDefault(key, 0L);
				if (local > stored) {
					this.values.put(key, local);
					return local;
				}
				return stored;
			}
		});
	}

	@Override
	public Mono<Long> bumpEpoch(String key, long local, long atLeast) {
		return call(Call.BUMP_EPOCH, () -> this.values.compute(key,
				(ignored, stored) -> Math.max(Math.max((stored != null) ? stored : 0, local) + 1, atLeast)));
	}

	@Override
	public Mono<Boolean> removeItem(CacheKeys.ItemKeys keys, Long version, Duration ttl) {
		return call(Call.REMOVE_ITEM, () -> {
			this.onRemove.run();
			Long recorded = this.values.get(keys.version());
			if (version != null && recorded != null && recorded > version) {
				return false;
			}
			if (version != null) {
				this.values.put(keys.version(), version);
			}
			this.removed.add(keys.entry());
			return true;
		});
	}

	@Override
	public Mono<Long> bumpGeneration(String key) {
		return call(Call.BUMP_GENERATION, () -> {
			this.generationBumps.add(key);
			return this.values.merge(key, 1L, Long::sum);
		});
	}

	private <T> Mono<T> call(Call call, Supplier<T> answer) {
		return Mono.defer(() -> {
			this.calls.computeIfAbsent(call, (ignored) -> new AtomicInteger()).incrementAndGet();
			if (this.failing.contains(call)) {
				return Mono.error(new CacheUnavailableException(new IllegalStateException(call + " failed")));
			}
			return Mono.justOrEmpty(answer.get());
		});
	}

	/** The calls, to fail or count. */
	enum Call {

		RUN_IDS, RECORD_RUN_IDS, SYNC_EPOCH, BUMP_EPOCH, REMOVE_ITEM, BUMP_GENERATION

	}

}
