package io.productstore.cache.redis;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import io.productstore.cache.CacheMetrics;
import io.productstore.cache.EarlyRefreshProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

/**
 * Probabilistic early refresh (XFetch, Vattani et al., VLDB 2015): a read of an entry
 * refreshes it in the background when {@code now - delta * beta * ln(rand) >= expiry},
 * with delta the measured load time, so a hot entry is reloaded shortly before it expires
 * by one caller while every other caller is still served the current value.
 */
public final class EarlyRefresh {

	private static final Log logger = LogFactory.getLog(EarlyRefresh.class);

	/** Load time assumed for entries without a measured one, until one was seen. */
	private static final long DEFAULT_LOAD_MILLIS = 10;

	private final EarlyRefreshProperties properties;

	private final CacheMetrics metrics;

	/** The wall clock that entries' expiries are written in. */
	private final Clock clock;

	private final Set<String> refreshing = ConcurrentHashMap.newKeySet();

	/** Smoothed load time of the entries seen, for entries written without one. */
	private volatile long typicalLoadMillis = DEFAULT_LOAD_MILLIS;

	public EarlyRefresh(EarlyRefreshProperties properties, CacheMetrics metrics, Clock clock) {
		this.properties = properties;
		this.metrics = metrics;
		this.clock = clock;
	}

	/**
	 * Whether a read at {@code now} should refresh an entry.
	 * @param now the time of the read
	 * @param delta how long loading the value takes, in the unit of {@code now}
	 * @param expiry when the entry expires
	 * @param beta the eagerness
	 * @param random uniform in (0, 1]
	 * @return whether to refresh
	 */
	public static boolean due(long now, long delta, long expiry, double beta, double random) {
		return now - delta * beta * Math.log(random) >= expiry;
	}

	public static double random() {
		return 1.0 - ThreadLocalRandom.current().nextDouble();
	}

	public double beta() {
		return this.properties.beta();
	}

	public boolean enabled() {
		return this.properties.enabled();
	}

	/**
	 * Called on every Redis hit: starts the refresh in the background when it is due and
	 * no refresh of this key runs in this instance (across instances the refresh takes
	 * the entry's lock, so one instance refreshes).
	 */
	public void onHit(String key, byte[] entry, Supplier<Mono<?>> refresh) {
		if (!this.properties.enabled()) {
			return;
		}
		CacheCodec.Envelope envelope = CacheCodec.envelope(entry);
		if (envelope == null) {
			return;
		}
		long delta = envelope.loadMillis();
		if (delta > 0) {
			this.typicalLoadMillis = (this.typicalLoadMillis * 7 + delta) / 8;
		}
		else {
			delta = this.typicalLoadMillis;
		}
		if (!due(this.clock.millis(), delta, envelope.expiresAtMillis(), beta(), random())) {
			return;
		}
		start(key, refresh);
	}

	/** Runs one background refresh of a key at a time in this instance. */
	public void start(String key, Supplier<Mono<?>> refresh) {
		if (!this.refreshing.add(key)) {
			return;
		}
		this.metrics.earlyRefresh();
		Mono.defer(refresh).doFinally((signal) -> this.refreshing.remove(key)).subscribe(null, (ex) -> {
			this.metrics.error();
			logger.debug("Early refresh of " + key + " failed: " + ex.getMessage());
		});
	}

}
