package io.productstore.cache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.productstore.cache.CacheMetrics;
import io.productstore.cache.CacheUnavailableException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * The engine's Redis calls: timed, guarded (timeout, circuit breaker, availability gate:
 * see {@link RedisGuard}), and with every failure turned into a
 * {@link CacheUnavailableException} so callers can tell Redis failures from origin
 * failures.
 */
public final class RedisCacheStore implements EntryLeases {

	private static final int SCAN_BATCH = 500;

	private final ReactiveRedisTemplate<String, byte[]> redis;

	private final CacheMetrics metrics;

	private final RedisGuard guard;

	public RedisCacheStore(ReactiveRedisConnectionFactory connectionFactory, CacheMetrics metrics, RedisGuard guard) {
		RedisSerializationContext<String, byte[]> context = RedisSerializationContext
			.<String, byte[]>newSerializationContext(RedisSerializer.string())
			.value(RedisSerializer.byteArray())
			.build();
		this.redis = new ReactiveRedisTemplate<>(connectionFactory, context);
		this.metrics = metrics;
		this.guard = guard;
	}

	public Mono<byte[]> get(String key) {
		return timed(this.redis.opsForValue().get(key));
	}

	@Override
	public Mono<byte[]> acquire(CacheKeys.EntryKeys keys, String token, Duration lease) {
		return script(RedisScripts.ACQUIRE, List.of(keys.entry(), keys.lock()), bytes(token), millis(lease));
	}

	@Override
	public Mono<Boolean> forceLease(CacheKeys.EntryKeys keys, String token, Duration lease) {
		return timed(this.redis.opsForValue().set(keys.lock(), bytes(token), lease));
	}

	@Override
	public Mono<Boolean> tryLease(CacheKeys.EntryKeys keys, String token, Duration lease) {
		return timed(this.redis.opsForValue().setIfAbsent(keys.lock(), bytes(token), lease));
	}

	@Override
	public Mono<Boolean> setIfLeased(CacheKeys.EntryKeys keys, String token, byte[] entry, Duration ttl) {
		return script(RedisScripts.SET_IF_LEASED, List.of(keys.entry(), keys.lock()), bytes(token), entry, millis(ttl))
			.map((stored) -> stored == 1L);
	}

	@Override
	public Mono<Boolean> release(CacheKeys.EntryKeys keys, String token) {
		return script(RedisScripts.RELEASE, List.of(keys.lock()), bytes(token)).map((released) -> released == 1L);
	}

	public Mono<Boolean> written(CacheKeys.ItemKeys keys, byte[] entryOrNull, Duration ttl, Long version,
			Duration versionTtl) {
		byte[] entry = (entryOrNull != null) ? entryOrNull : new byte[0];
		byte[] versionArg = (version != null) ? bytes(version.toString()) : new byte[0];
		return script(RedisScripts.WRITTEN, List.of(keys.entry(), keys.lock(), keys.version()), entry, millis(ttl),
				versionArg, millis(versionTtl))
			.map((applied) -> applied == 1L);
	}

	public Mono<Long> generation(String key) {
		return script(RedisScripts.GENERATION, List.of(key), initialGeneration());
	}

	public Mono<Long> bumpGeneration(String key) {
		return script(RedisScripts.BUMP_GENERATION, List.of(key), initialGeneration());
	}

	public Mono<Long> delete(String... keys) {
		return timed(Flux.fromArray(keys).flatMap(this.redis::unlink).reduce(0L, Long::sum));
	}

	/** Keys matching the pattern, by SCAN (on a cluster: every master), never KEYS. */
	public Flux<String> scan(String pattern) {
		return Flux
			.defer(() -> this.guard.permits()
					? this.redis.scan(ScanOptions.scanOptions().match(pattern).count(SCAN_BATCH).build())
					: Flux.error(new IllegalStateException("the cache is unavailable")))
			.onErrorMap((ex) -> !(ex instanceof CacheUnavailableException), CacheUnavailableException::new);
	}

	public <T> Mono<T> eval(RedisScript<T> script, List<String> keys, byte[]... args) {
		return script(script, keys, args);
	}

	/**
	 * The {@code run_id} of every server answering (sorted, joined): it changes when
	 * Redis restarts or fails over, which may bring back entries older than MongoDB.
	 */
	public Mono<String> runIds() {
		return timed(this.redis.execute((connection) -> connection.serverCommands().info("server")).next())
			.map((info) -> info.stringPropertyNames()
				.stream()
				.filter((name) -> name.endsWith("run_id"))
				.sorted()
				.map(info::getProperty)
				.reduce("", (joined, id) -> joined + id + ";"));
	}

	public Mono<String> ping() {
		return timed(this.redis.execute((connection) -> connection.ping()).next());
	}

	public Mono<Long> unlinkAll(Flux<String> keys) {
		// One key per UNLINK: keys of one batch may live in different cluster slots.
		return keys.flatMap((key) -> timed(this.redis.unlink(key)), 16).reduce(0L, Long::sum);
	}

	private <T> Mono<T> script(RedisScript<T> script, List<String> keys, byte[]... args) {
		return timed(this.redis.execute(script, keys, List.of(args)).next());
	}

	private <T> Mono<T> timed(Mono<T> operation) {
		return this.guard.apply(Mono.defer(() -> {
			long start = System.nanoTime();
			return operation.doFinally((signal) -> this.metrics.recordRedis(System.nanoTime() - start));
		})).onErrorMap((ex) -> !(ex instanceof CacheUnavailableException), CacheUnavailableException::new);
	}

	/**
	 * A lost generation key restarts at the clock in microseconds: above any number used
	 * before unless a region saw more than 1,000 writes per millisecond (and below 2^53,
	 * the largest integer a Lua number holds exactly).
	 */
	private static byte[] initialGeneration() {
		return bytes(Long.toString(System.currentTimeMillis() * 1000));
	}

	private static byte[] millis(Duration duration) {
		return bytes(Long.toString(Math.max(1, duration.toMillis())));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
