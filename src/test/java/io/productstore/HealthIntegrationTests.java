package io.productstore;

import java.time.Duration;
import java.util.List;

import io.productstore.support.ContainersConfiguration;
import io.productstore.support.ProductApi;
import io.productstore.support.RealServersConfiguration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webflux.actuate.endpoint.web.WebFluxEndpointHandlerMapping;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the actuator endpoints of {@link ProductStoreApplication}, against the real
 * servers of this machine and against containers.
 */
class HealthIntegrationTests {

	@Nested
	@Import(RealServersConfiguration.class)
	class AgainstRealServers extends ActuatorChecks {

	}

	@Nested
	@Testcontainers(disabledWithoutDocker = true)
	@Import(ContainersConfiguration.class)
	class AgainstContainers extends ActuatorChecks {

	}

	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
	@AutoConfigureWebTestClient
	@ActiveProfiles("test")
	abstract static class ActuatorChecks {

		@Autowired
		private WebTestClient client;

		@Autowired
		private DispatcherHandler dispatcher;

		@Autowired
		@Qualifier("requestMappingHandlerMapping")
		private RequestMappingHandlerMapping serviceMappings;

		@Autowired
		private WebFluxEndpointHandlerMapping actuatorMappings;

		@Test
		void asksTheServicesMappingsBeforeTheActuators() {
			// The API is the traffic (web/PathFirstRequestMappings); the checks here show
			// the actuator still answers behind it.
			List<HandlerMapping> mappings = this.dispatcher.getHandlerMappings();
			assertThat(mappings.indexOf(this.serviceMappings)).isNotNegative()
				.isLessThan(mappings.indexOf(this.actuatorMappings));
		}

		@Test
		void reportsUpWithMongoAndRedisComponents() {
			// The context is shared with heavier test classes: if CPU starvation opened
			// the
			// cache breaker there, redis reads DEGRADED until the breaker closes again.
			Awaitility.await()
				.atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> this.client.get()
					.uri("/actuator/health")
					.exchange()
					.expectStatus()
					.isOk()
					.expectBody()
					.jsonPath("$.status")
					.isEqualTo("UP")
					.jsonPath("$.components.mongo.status")
					.isEqualTo("UP")
					.jsonPath("$.components.redis.status")
					.isEqualTo("UP"));
		}

		@Test
		void showsTheCacheDetailsToAdminsOnly() {
			this.client.get()
				.uri("/actuator/health")
				.exchange()
				.expectBody()
				.jsonPath("$.components.redis.status")
				.exists()
				.jsonPath("$.components.redis.details")
				.doesNotExist();
			this.client.get()
				.uri("/actuator/health")
				.headers(ProductApi.as(ProductApi.ADMIN))
				.exchange()
				.expectBody()
				.jsonPath("$.components.redis.details.circuitBreaker")
				.exists()
				.jsonPath("$.components.redis.details.epoch")
				.exists();
		}

		@Test
		void answersInfo() {
			this.client.get().uri("/actuator/info").exchange().expectStatus().isOk().expectBody().jsonPath("$").isMap();
		}

		@Test
		void servesPrometheusMetricsWithTheCacheMetersToAdminsOnly() {
			this.client.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
			this.client.get()
				.uri("/actuator/prometheus")
				.headers((headers) -> headers.setBasicAuth("user", "user"))
				.exchange()
				.expectStatus()
				.isForbidden();
			// Latency histograms make the scrape large once the suite has served many
			// routes.
			this.client.mutate()
				.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
				.build()
				.get()
				.uri("/actuator/prometheus")
				.headers((headers) -> headers.setBasicAuth("admin", "admin"))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.value((body) -> assertThat(body).contains("productstore_cache_origin_reads_total",
						"productstore_cache_hits_total", "http_server_requests_seconds_bucket",
						"application=\"product-store\""));
		}

	}

}
