package io.productstore.cache;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.productstore.cache.admin.CacheAdministration;
import io.productstore.cache.admin.CacheStats;
import io.productstore.cache.near.InvalidationBus;
import io.productstore.cache.near.NearCache;
import io.productstore.cache.outage.CacheResilience;
import io.productstore.cache.redis.CacheCodec;
import io.productstore.cache.redis.EarlyRefresh;
import io.productstore.cache.redis.InFlightLoads;
import io.productstore.cache.redis.RedisReads;
import io.productstore.cache.redis.RedisWrites;
import io.productstore.redis.LettuceConnections;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * One instance of the cache engine outside Spring, wired by the bean methods of
 * {@link CacheConfiguration} themselves (so tests exercise the production wiring) and
 * with properties bound like the application binds them (so their defaults are the
 * shipped ones). No heartbeat runs unless a test starts one: an engine's first recovery
 * is {@link #ready() awaited} instead. Reads and writes take the region as their first
 * argument, as engine tests and benchmarks find handy.
 */
public final class TestCacheEngine {

	private static final CacheConfiguration configuration = new CacheConfiguration();

	private final CacheProperties properties;

	private final CacheResilience resilience;

	private final CacheMetrics metrics;

	private final NearCache near;

	private final InvalidationBus bus;

	private final Caches caches;

	private final CacheAdministration administration;

	/**
	 * An engine without a near cache.
	 * @param connectionFactory its Redis
	 * @param properties {@code app.cache}
	 * @param resilience {@code app.cache.resilience}
	 */
	public TestCacheEngine(ReactiveRedisConnectionFactory connectionFactory, CacheProperties properties,
			CacheResilienceProperties resilience) {
		this(connectionFactory, properties, resilience,
				bind("app.cache.near", NearCacheProperties.class, Map.of("enabled", "false")),
				bind("app.cache.early-refresh", EarlyRefreshProperties.class, Map.of()));
	}

	public TestCacheEngine(ReactiveRedisConnectionFactory connectionFactory, CacheProperties properties,
			CacheResilienceProperties resilienceProperties, NearCacheProperties nearProperties,
			EarlyRefreshProperties earlyProperties) {
		JsonMapper json = JsonMapper.builder().build();
		MeterRegistry registry = new SimpleMeterRegistry();
		this.properties = properties;
		CacheMetrics metrics = configuration.cacheMetrics(registry);
		this.metrics = metrics;
		this.resilience = configuration.cacheResilience(connectionFactory, properties, resilienceProperties, metrics,
				registry, empty(), (event) -> {
				});
		EarlyRefresh early = configuration.earlyRefresh(earlyProperties, metrics);
		InFlightLoads inFlight = configuration.inFlightLoads(metrics);
		CacheCodec codec = configuration.cacheCodec(properties, json);
		RedisReads reads = configuration.redisReads(connectionFactory, properties, codec, this.resilience, inFlight,
				early, metrics);
		RedisWrites writes = configuration.redisWrites(connectionFactory, properties, codec, this.resilience, inFlight,
				metrics);
		this.near = configuration.nearCache(nearProperties, properties, json, metrics, early, registry);
		// In the application the near cache hears of availability as an application
		// event.
		this.resilience.addListener(this.near::availabilityChanged);
		this.bus = configuration.invalidationBus(this.near, connectionFactory, provider(connectionFactory),
				this.resilience, properties, metrics);
		this.caches = configuration.caches(properties, resilienceProperties, this.near, this.resilience, reads, writes,
				inFlight, this.bus, metrics);
		this.administration = configuration.cacheAdministration(connectionFactory, properties, this.resilience, metrics,
				this.near, this.bus);
	}

	/**
	 * Binds properties as the application does, defaults included.
	 * @param <T> the properties type
	 * @param prefix their prefix
	 * @param type their type
	 * @param values the values set, relative to the prefix
	 * @return the properties
	 */
	public static <T> T bind(String prefix, Class<T> type, Map<String, ?> values) {
		Map<String, Object> source = new HashMap<>();
		values.forEach((key, value) -> source.put(prefix + "." + key, value));
		return new Binder(new MapConfigurationPropertySource(source)).bindOrCreate(prefix, type);
	}

	public static CacheProperties cacheProperties(Map<String, ?> values) {
		return bind("app.cache", CacheProperties.class, values);
	}

	/**
	 * The shipped resilience settings, bound like the application binds them.
	 * @return the defaults
	 */
	public static CacheResilienceProperties shippedResilience() {
		return bind("app.cache.resilience", CacheResilienceProperties.class, Map.of());
	}

	/**
	 * Completes once the first recovery (connection, epoch) is done.
	 * @return this engine
	 */
	public TestCacheEngine ready() {
		if (!this.properties.enabled()) {
			// A disabled cache never recovers (the heartbeat does not run): nothing to
			// wait for, and nothing may be written to Redis.
			return this;
		}
		this.resilience.firstRecovery().block(Duration.ofSeconds(30));
		return this;
	}

	public CacheRegion region(String name) {
		return this.caches.region(name);
	}

	public <T> Mono<CacheLookup<T>> item(String region, String id, Class<T> type, Supplier<Mono<T>> origin,
			boolean bypass) {
		return region(region).item(id, type, origin, bypass).map(TestCacheEngine::lookup);
	}

	public <T> Mono<CacheLookup<T>> query(String region, QueryKind kind, String canonicalQuery, Class<T> type,
			Supplier<Mono<T>> origin, boolean bypass) {
		return region(region).query(kind, canonicalQuery, type, origin, bypass).map(TestCacheEngine::lookup);
	}

	public Mono<Void> written(String region, String id, Object valueOrNull) {
		return (valueOrNull != null) ? region(region).written(id, valueOrNull) : region(region).deleted(id);
	}

	public Mono<Void> written(String region, String id, Object valueOrNull, long version) {
		return (valueOrNull != null) ? region(region).written(id, valueOrNull, version)
				: region(region).deleted(id, version);
	}

	public Mono<Void> evict(String region, String id) {
		return region(region).evict(id);
	}

	public Mono<Long> clear() {
		return this.administration.clear();
	}

	public Mono<CacheStats> stats() {
		return this.administration.stats();
	}

	public CacheProperties properties() {
		return this.properties;
	}

	public CacheMetrics metrics() {
		return this.metrics;
	}

	public CacheResilience resilience() {
		return this.resilience;
	}

	public NearCache near() {
		return this.near;
	}

	public InvalidationBus bus() {
		return this.bus;
	}

	private static <T> CacheLookup<T> lookup(CachedRead<T> read) {
		return new CacheLookup<>(read.value(), read.outcome());
	}

	private static ObjectProvider<LettuceConnections> provider(ReactiveRedisConnectionFactory connectionFactory) {
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		if (connectionFactory instanceof LettuceConnectionFactory lettuce) {
			beans.addBean("lettuceConnections", new LettuceConnections(lettuce));
		}
		return beans.getBeanProvider(LettuceConnections.class);
	}

	private static <T> ObjectProvider<T> empty() {
		return new StaticListableBeanFactory().getBeanProvider((Class<T>) null);
	}

}
