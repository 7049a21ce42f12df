package io.productstore.cache.admin;

import java.time.Instant;
import java.util.List;

import io.productstore.cache.CacheResilienceProperties;
import io.productstore.cache.CacheUnavailableException;
import io.productstore.cache.changes.ChangeStreamStats;
import io.productstore.cache.changes.ChangeStreams;
import io.productstore.cache.near.NearCacheStats;
import io.productstore.security.WebLayerTestConfiguration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.csrf;

/**
 * Tests for {@link CacheAdminController}.
 */
@WebFluxTest(CacheAdminController.class)
@Import(WebLayerTestConfiguration.class)
@EnableConfigurationProperties(CacheResilienceProperties.class)
@WithMockUser(roles = "ADMIN")
class CacheAdminControllerTests {

	@Autowired
	private WebTestClient client;

	@MockitoBean
	private CacheAdministration cache;

	@MockitoBean
	private CacheWarmup warmup;

	@MockitoBean
	private ChangeStreams changeStreams;

	@Test
	void servesTheStatisticsOfTheContract() {
		given(this.cache.stats()).willReturn(Mono.just(
				new CacheStats(3, 1, 0.75, 2, 1, 0, 0, "CLOSED", 9, 0, 3, new NearCacheStats("DISABLED", 0, 0, 0), 0)));
		given(this.changeStreams.stats()).willReturn(new ChangeStreamStats("FOLLOWING", List.of("products"), 12, 11, 1,
				0, 4.5, Instant.parse("2026-01-02T03:04:05Z"), null));
		this.client.get().uri("/api/cache/stats").exchange().expectStatus().isOk().expectBody().json("""
				{"hits":3,"misses":1,"hitRatio":0.75,"originReads":2,"lockWaits":1,
				 "staleWritesRejected":0,"errors":0,"circuitBreaker":"CLOSED","keys":9,
				 "changeStream":{"state":"FOLLOWING","collections":["products"],"events":12,"invalidations":11,
				  "resumes":1,"epochBumps":0,"lagP99Millis":4.5,"lastChangeAt":"2026-01-02T03:04:05Z"}}""");
	}

	@Test
	void warmsUpOnDemand() {
		given(this.warmup.warmUp()).willReturn(Mono.just(new CacheWarmup.WarmupResult(2, 120, 0)));
		this.client.mutateWith(csrf())
			.post()
			.uri("/api/cache/warmup")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("{\"warmers\":2,\"entries\":120,\"failedWarmers\":0}");
	}

	@Test
	void clearsTheNamespace() {
		given(this.cache.clear()).willReturn(Mono.just(42L));
		this.client.mutateWith(csrf())
			.delete()
			.uri("/api/cache")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("{\"removed\":42}");
	}

	@Test
	void answersServiceUnavailableWhenRedisCannotBeCleared() {
		given(this.cache.clear())
			.willReturn(Mono.error(new CacheUnavailableException(new IllegalStateException("breaker open"))));
		this.client.mutateWith(csrf())
			.delete()
			.uri("/api/cache")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.valueEquals("Retry-After", "2")
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(503)
			.jsonPath("$.title")
			.isEqualTo("Cache unavailable");
	}

	@Test
	@WithMockUser(roles = "EDITOR")
	void refusesCallersWithoutTheAdminRole() {
		this.client.get().uri("/api/cache/stats").exchange().expectStatus().isForbidden();
		this.client.mutateWith(csrf()).delete().uri("/api/cache").exchange().expectStatus().isForbidden();
		then(this.cache).should(never()).clear();
	}

	@Test
	void asksAnonymousCallersForCredentials() {
		WebTestClient anonymous = this.client.mutate().defaultHeaders((headers) -> headers.clear()).build();
		anonymous.get()
			.uri("/api/cache/stats")
			.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("nobody:wrong".getBytes()))
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

}
