package io.productstore.cache.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.productstore.cache.CacheMetrics;
import io.productstore.cache.EarlyRefreshProperties;
import io.productstore.cache.TestCacheEngine;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EarlyRefresh} and the early-refresh envelope of {@link CacheCodec}.
 */
class EarlyRefreshTests {

	private final CacheCodec codec = new CacheCodec(JsonMapper.builder().build(), 1024);

	@Test
	void refreshesOnlyNearTheExpiryAndEarlierForSlowerLoads() {
		// -ln(rand) is 1 for rand = 1/e: the refresh window is delta * beta.
		double random = Math.exp(-1);
		assertThat(EarlyRefresh.due(1_000, 100, 2_000, 1.0, random)).isFalse();
		assertThat(EarlyRefresh.due(1_900, 100, 2_000, 1.0, random)).isTrue();
		assertThat(EarlyRefresh.due(1_800, 100, 2_000, 2.0, random)).isTrue();
		assertThat(EarlyRefresh.due(1_800, 100, 2_000, 1.0, random)).isFalse();
		assertThat(EarlyRefresh.due(2_000, 0, 2_000, 1.0, 1.0)).isTrue();
	}

	@Test
	void carriesExpiryAndLoadTimeInAnEnvelopeThatReadsLikeThePlainForms() {
		Widget widget = new Widget("1", "x".repeat(3000), 7);
		long before = System.currentTimeMillis();
		byte[] entry = this.codec.encode(widget, Duration.ofSeconds(10), 42);
		CacheCodec.Envelope envelope = CacheCodec.envelope(entry);
		assertThat(envelope.loadMillis()).isEqualTo(42);
		assertThat(envelope.expiresAtMillis()).isBetween(before + 10_000, System.currentTimeMillis() + 10_000);
		assertThat(this.codec.decode(entry, Widget.class)).isEqualTo(widget);
		assertThat(CacheCodec.envelope(this.codec.encode(widget))).isNull();
		assertThat(this.codec.decode(this.codec.encode(widget), Widget.class)).isEqualTo(widget);
		assertThat(this.codec.encode(null, Duration.ofSeconds(10), 1)).containsExactly(CacheCodec.NEGATIVE);
	}

	@Test
	void refreshesAHitOnlyWhenTheClockHasReachedTheEntrysRefreshWindow() {
		byte[] entry = this.codec.encode(new Widget("1", "w", 1), Duration.ofMinutes(5), 10);
		long expiry = CacheCodec.envelope(entry).expiresAtMillis();
		AtomicInteger refreshes = new AtomicInteger();
		Supplier<Mono<?>> refresh = () -> Mono.fromRunnable(refreshes::incrementAndGet);
		// With a 10 ms load, even the smallest random number opens a window under 400 ms.
		earlyRefreshAt(expiry - 1_000).onHit("k", entry, refresh);
		assertThat(refreshes).hasValue(0);
		// At the expiry every random number says due.
		earlyRefreshAt(expiry).onHit("k", entry, refresh);
		assertThat(refreshes).hasValue(1);
	}

	private EarlyRefresh earlyRefreshAt(long millis) {
		return new EarlyRefresh(TestCacheEngine.bind("app.cache.early-refresh", EarlyRefreshProperties.class, Map.of()),
				new CacheMetrics(new SimpleMeterRegistry()), Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
	}

	record Widget(String id, String name, long version) {

	}

}
