package io.productstore.cache;

import java.time.Duration;
import java.util.List;

import io.productstore.cache.CacheTestSupport.Widget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static io.productstore.cache.CacheTestSupport.REGION;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that client text with glob and hash-tag characters can neither reach nor delete
 * other keys of {@link TestCacheEngine}.
 */
class PatternSafetyIntegrationTests {

	private static final List<String> HOSTILE = List.of("*", "?", "[a-z]", "a*", "x:y", "{id}", "}{", "product:*",
			"widget:{*}", "\\*", "%2A", "", "ü€ 😀");

	private LettuceConnectionFactory factory;

	private ReactiveStringRedisTemplate redis;

	@BeforeEach
	void connect() {
		this.factory = CacheTestSupport.connectionFactory();
		this.redis = CacheTestSupport.strings(this.factory);
	}

	@AfterEach
	void disconnect() {
		this.factory.destroy();
	}

	@Test
	void hostileIdsGetTheirOwnEntriesAndEvictNothingElse() {
		TestCacheEngine cache = engine(CacheTestSupport.uniquePrefix("ids"));
		Flux.fromIterable(HOSTILE).concatMap((id) -> cache.written(REGION, id, new Widget(id, "w", 1))).blockLast();
		Flux.fromIterable(HOSTILE)
			.concatMap((id) -> cache.item(REGION, id, Widget.class, Mono::empty, false))
			.map((lookup) -> lookup.value().id())
			.collectList()
			.as(StepVerifier::create)
			.expectNext(HOSTILE)
			.verifyComplete();
		cache.evict(REGION, "*").as(StepVerifier::create).verifyComplete();
		Flux.fromIterable(HOSTILE)
			.concatMap((id) -> cache.item(REGION, id, Widget.class, Mono::empty, false))
			.filter(CacheLookup::found)
			.count()
			.as(StepVerifier::create)
			.expectNext((long) HOSTILE.size() - 1)
			.verifyComplete();
		cache.clear().block();
	}

	@Test
	void hostileQueriesGetTheirOwnEntries() {
		TestCacheEngine cache = engine(CacheTestSupport.uniquePrefix("queries"));
		Flux.fromIterable(HOSTILE)
			.concatMap(
					(query) -> cache.query(REGION, QueryKind.LIST, query, String.class, () -> Mono.just(query), false))
			.blockLast();
		Flux.fromIterable(HOSTILE)
			.concatMap((query) -> cache.query(REGION, QueryKind.LIST, query, String.class, Mono::empty, false))
			.map(CacheLookup::value)
			.collectList()
			.as(StepVerifier::create)
			.expectNext(HOSTILE)
			.verifyComplete();
		cache.clear().block();
	}

	@Test
	void clearRemovesOnlyThisNamespaceEvenWithGlobCharactersInThePrefix() {
		String prefix = CacheTestSupport.uniquePrefix("glob") + "[ab]*?\\:";
		TestCacheEngine cache = engine(prefix);
		String base = prefix.substring(0, prefix.indexOf('['));
		// Each would match the prefix if it were used as a pattern unescaped.
		List<String> foreign = List.of(base + "a-anything:x", base + "b??:widget:{1}", base + "[ab]*?:",
				base + "[ab]xy\\:x", "other:" + prefix);
		Flux.fromIterable(foreign).concatMap((key) -> this.redis.opsForValue().set(key, "keep")).blockLast();
		cache.written(REGION, "1", new Widget("1", "w", 1)).block();
		cache.query(REGION, QueryKind.COUNT, "*", Long.class, () -> Mono.just(1L), false).block();

		// The engine's own keys, and the run ids its first recovery recorded.
		cache.clear().as(StepVerifier::create).expectNext(4L).verifyComplete();

		Flux.fromIterable(foreign)
			.concatMap(this.redis::hasKey)
			.all(Boolean::booleanValue)
			.as(StepVerifier::create)
			.expectNext(true)
			.verifyComplete();
		this.redis.delete(Flux.fromIterable(foreign)).block();
	}

	@Test
	void rejectsBracesInThePrefixAndUnknownRegions() {
		assertThat(org.assertj.core.api.Assertions.catchThrowable(
				() -> CacheTestSupport.properties("bad{prefix}:", Duration.ofSeconds(1), Duration.ofSeconds(1))))
			// Bound as the application binds it: startup fails on the record's check.
			.hasRootCauseInstanceOf(IllegalArgumentException.class);
		TestCacheEngine cache = engine(CacheTestSupport.uniquePrefix("region"));
		assertThat(org.assertj.core.api.Assertions
			.catchThrowable(() -> cache.item("product:*", "1", String.class, Mono::empty, false)))
			.isInstanceOf(IllegalArgumentException.class);
	}

	private TestCacheEngine engine(String prefix) {
		return CacheTestSupport.engine(this.factory,
				CacheTestSupport.properties(prefix, Duration.ofSeconds(5), Duration.ofSeconds(2)));
	}

}
