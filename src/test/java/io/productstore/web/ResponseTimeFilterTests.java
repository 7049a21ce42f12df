package io.productstore.web;

import io.productstore.security.WebLayerTestConfiguration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ResponseTimeFilter}.
 */
@WebFluxTest(controllers = ResponseTimeFilterTests.EtagController.class)
@Import({ WebLayerTestConfiguration.class, ResponseTimeFilterTests.EtagController.class })
class ResponseTimeFilterTests {

	private static final String MILLIS = "\\d+\\.\\d{3}ms";

	@Autowired
	private WebTestClient client;

	@Test
	void timesSuccessfulResponses() {
		this.client.get()
			.uri("/test/etag")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueMatches(ResponseTimeFilter.HEADER, MILLIS);
	}

	@Test
	void timesNotModifiedResponses() {
		this.client.get()
			.uri("/test/etag")
			.header(HttpHeaders.IF_NONE_MATCH, "\"7\"")
			.exchange()
			.expectStatus()
			.isNotModified()
			.expectHeader()
			.valueMatches(ResponseTimeFilter.HEADER, MILLIS);
	}

	@Test
	void timesResponsesRefusedBySecurity() {
		this.client.delete()
			.uri("/api/cache")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueMatches(ResponseTimeFilter.HEADER, MILLIS);
	}

	@Test
	void timesErrors() {
		this.client.get()
			.uri("/nope")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.valueMatches(ResponseTimeFilter.HEADER, MILLIS);
	}

	@Test
	void formatsMillisecondsWithThreeDecimals() {
		assertThat(ResponseTimeFilter.format(42_000)).isEqualTo("0.042ms");
		assertThat(ResponseTimeFilter.format(1_234_567)).isEqualTo("1.234ms");
		assertThat(ResponseTimeFilter.format(250_100_000)).isEqualTo("250.100ms");
		assertThat(ResponseTimeFilter.format(999)).isEqualTo("0.000ms");
	}

	@RestController
	static class EtagController {

		@GetMapping("/test/etag")
		Mono<String> etag(ServerWebExchange exchange) {
			if (exchange.checkNotModified("\"7\"")) {
				return Mono.empty();
			}
			return Mono.just("seven");
		}

	}

}
