package io.productstore.cache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.productstore.support.RealServersConfiguration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the wiring of {@link CacheConfiguration}, {@link CacheProperties} and
 * {@link CacheWarmup} in the application context.
 */
@SpringBootTest(properties = { "app.cache.warmup.enabled=true", "app.cache.key-prefix=it:context:" })
@ActiveProfiles("test")
@Import({ RealServersConfiguration.class, CacheConfigurationIntegrationTests.Warmers.class })
class CacheConfigurationIntegrationTests {

	@Autowired
	private Caches caches;

	@Autowired
	private CacheProperties properties;

	@Autowired
	private MeterRegistry meterRegistry;

	@Autowired
	private Warmers warmers;

	@Test
	void bindsTheDefaultsOfApplicationYml() {
		CacheProperties properties = this.properties;
		assertThat(properties.enabled()).isTrue();
		assertThat(properties.ttl().item()).isEqualTo(Duration.ofHours(1));
		assertThat(properties.ttl().list()).isEqualTo(Duration.ofMinutes(5));
		assertThat(properties.ttl().negative()).isEqualTo(Duration.ofSeconds(30));
		assertThat(properties.lock().lease()).isEqualTo(Duration.ofSeconds(5));
		assertThat(properties.lock().maxWait()).isEqualTo(Duration.ofSeconds(2));
		assertThat(properties.compressionThreshold().toBytes()).isEqualTo(1024);
		assertThat(properties.keyPrefix()).isEqualTo("it:context:");
	}

	@Test
	void warmsUpAtStartupWhenEnabled() {
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.warmers.calls).hasValue(1));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.warmers.warmed).hasValue(1));
		this.caches.region("widget")
			.item("warm", String.class, () -> Mono.error(new AssertionError("origin read")), false)
			.map(CachedRead::outcome)
			.as(StepVerifier::create)
			.expectNext(CacheOutcome.HIT)
			.verifyComplete();
	}

	@Test
	void registersTheCacheMeters() {
		for (String name : new String[] { "hits", "misses", "origin.reads", "lock.waits", "lock.timeouts",
				"stale.writes.rejected", "evictions" }) {
			assertThat(this.meterRegistry.find("productstore.cache." + name).counter()).as(name).isNotNull();
		}
		assertThat(this.meterRegistry.find("productstore.cache.redis.latency").timer()).isNotNull();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Warmers {

		final AtomicInteger calls = new AtomicInteger();

		final AtomicInteger warmed = new AtomicInteger();

		@Bean
		CacheWarmer widgetWarmer(Caches caches) {
			return () -> {
				this.calls.incrementAndGet();
				// Counted once its entry is stored: a read that joins the load still in
				// flight would be a MISS.
				return caches.region("widget")
					.item("warm", String.class, () -> Mono.just("warm widget"), false)
					.doOnSuccess((read) -> this.warmed.incrementAndGet())
					.thenReturn(1L);
			};
		}

	}

}
