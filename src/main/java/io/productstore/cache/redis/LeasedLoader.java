package io.productstore.cache.redis;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Ticker;
import io.productstore.cache.CacheLookup;
import io.productstore.cache.CacheMetrics;
import io.productstore.cache.CacheOutcome;
import io.productstore.cache.CacheProperties;
import io.productstore.logging.RequestLogging;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

/**
 * Loads a missing entry from the origin under the cross-instance lock: the lock holder
 * reads the origin and stores under its lease; the others poll for its value with backoff
 * and read the origin themselves only after {@code app.cache.lock.wait}.
 */
public final class LeasedLoader {

	private static final Log logger = LogFactory.getLog(LeasedLoader.class);

	private final EntryLeases store;

	private final CacheCodec codec;

	private final CacheMetrics metrics;

	private final CacheProperties.Lock lock;

	/**
	 * Decides when a waiter stops waiting for the holder ({@code lock.max-wait}), and
	 * measures the load time stored with an entry.
	 */
	private final Ticker ticker;

	public LeasedLoader(EntryLeases store, CacheCodec codec, CacheMetrics metrics, CacheProperties.Lock lock,
			Ticker ticker) {
		this.store = store;
		this.codec = codec;
		this.metrics = metrics;
		this.lock = lock;
		this.ticker = ticker;
	}

	/** Loads a key that was not in Redis at the first look; the outcome is MISS. */
	<T> Mono<CacheLookup<T>> load(CacheKeys.EntryKeys keys, Class<T> type, Supplier<Mono<T>> loader, Duration ttl,
			Duration negativeTtl) {
		String token = UUID.randomUUID().toString();
		long deadline = this.ticker.read() + this.lock.maxWait().toNanos();
		return this.store.acquire(keys, token, this.lock.lease()).flatMap((reply) -> {
			if (isAcquired(reply)) {
				return loadAndStore(keys, token, type, loader, ttl, negativeTtl, CacheOutcome.MISS);
			}
			if (isBusy(reply)) {
				this.metrics.lockWait();
				return awaitHolder(keys, token, type, loader, ttl, negativeTtl, deadline, 0);
			}
			return Mono.just(decoded(reply, type));
		});
	}

	/** Reads the origin for a {@code no-cache} request and refreshes the entry. */
	<T> Mono<CacheLookup<T>> refresh(CacheKeys.EntryKeys keys, Class<T> type, Supplier<Mono<T>> loader, Duration ttl,
			Duration negativeTtl) {
		String token = UUID.randomUUID().toString();
		return this.store.forceLease(keys, token, this.lock.lease())
			.then(loadAndStore(keys, token, type, loader, ttl, negativeTtl, CacheOutcome.BYPASS));
	}

	/**
	 * Reloads an entry that is still there, shortly before it expires, if no other caller
	 * holds its lock; completes empty when another caller does.
	 */
	<T> Mono<CacheLookup<T>> refreshEarly(CacheKeys.EntryKeys keys, Class<T> type, Supplier<Mono<T>> loader,
			Duration ttl, Duration negativeTtl) {
		String token = UUID.randomUUID().toString();
		return this.store.tryLease(keys, token, this.lock.lease())
			.filter(Boolean::booleanValue)
			.flatMap((leased) -> loadAndStore(keys, token, type, loader, ttl, negativeTtl, CacheOutcome.MISS));
	}

	private <T> Mono<CacheLookup<T>> awaitHolder(CacheKeys.EntryKeys keys, String token, Class<T> type,
			Supplier<Mono<T>> loader, Duration ttl, Duration negativeTtl, long deadline, int attempt) {
		if (this.ticker.read() - deadline > 0) {
			// The holder is slow or dead: read the origin, but store nothing without a
			// lease.
			this.metrics.lockTimeout();
			this.metrics.originRead();
			return RequestLogging.logThen(() -> logger.debug("Gave up waiting for the lock on " + keys.entry()),
					() -> Mono.defer(loader)
						.map((value) -> new CacheLookup<>(value, CacheOutcome.MISS, false))
						.defaultIfEmpty(new CacheLookup<>(null, CacheOutcome.MISS, false)));
		}
		return Mono.delay(backoff(attempt))
			.then(this.store.acquire(keys, token, this.lock.lease()))
			.flatMap((reply) -> {
				if (isAcquired(reply)) {
					return loadAndStore(keys, token, type, loader, ttl, negativeTtl, CacheOutcome.MISS);
				}
				if (isBusy(reply)) {
					return awaitHolder(keys, token, type, loader, ttl, negativeTtl, deadline, attempt + 1);
				}
				return Mono.just(decoded(reply, type));
			});
	}

	private <T> Mono<CacheLookup<T>> loadAndStore(CacheKeys.EntryKeys keys, String token, Class<T> type,
			Supplier<Mono<T>> loader, Duration ttl, Duration negativeTtl, CacheOutcome outcome) {
		long[] started = new long[1];
		return Mono.defer(() -> {
			this.metrics.originRead();
			started[0] = this.ticker.read();
			return loader.get();
		})
			.map((value) -> new CacheLookup<>(value, outcome))
			.defaultIfEmpty(new CacheLookup<>(null, outcome))
			.onErrorResume((ex) -> this.store.release(keys, token).onErrorComplete().then(Mono.error(ex)))
			.flatMap((lookup) -> store(keys, token, lookup, lookup.found() ? ttl : negativeTtl,
					(this.ticker.read() - started[0]) / 1_000_000));
	}

	private <T> Mono<CacheLookup<T>> store(CacheKeys.EntryKeys keys, String token, CacheLookup<T> lookup, Duration ttl,
			long loadMillis) {
		// The load time goes with the entry: early refresh needs it (see EarlyRefresh).
		return Mono.fromSupplier(() -> this.codec.encode(lookup.value(), ttl, loadMillis))
			.flatMap((entry) -> this.store.setIfLeased(keys, token, entry, ttl))
			.doOnEach(RequestLogging.onNext((stored) -> {
				if (!stored) {
					this.metrics.staleWriteRejected();
					logger.debug("Refused a stale store of " + keys.entry() + ": written since the load began");
				}
			}))
			.map((stored) -> stored ? lookup : lookup.notInRedis())
			.onErrorResume((ex) -> {
				// The value is loaded: failing to cache it must not fail or repeat the
				// read.
				this.metrics.error();
				return RequestLogging.logThen(
						() -> logger.warn("Could not store cache entry " + keys.entry() + ": " + ex.getMessage()),
						() -> Mono.just(lookup.notInRedis()));
			});
	}

	private <T> CacheLookup<T> decoded(byte[] entry, Class<T> type) {
		return new CacheLookup<>(this.codec.decodeOrThrow(entry, type), CacheOutcome.MISS);
	}

	private Duration backoff(int attempt) {
		Duration delay = this.lock.pollInitial().multipliedBy(1L << Math.min(attempt, 16));
		return (delay.compareTo(this.lock.pollMax()) > 0) ? this.lock.pollMax() : delay;
	}

	private static boolean isAcquired(byte[] reply) {
		return reply.length == 1 && reply[0] == RedisScripts.ACQUIRED;
	}

	private static boolean isBusy(byte[] reply) {
		return reply.length == 1 && reply[0] == RedisScripts.BUSY;
	}

}
