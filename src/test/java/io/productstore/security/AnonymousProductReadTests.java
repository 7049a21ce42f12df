package io.productstore.security;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AnonymousProductRead}.
 */
class AnonymousProductReadTests {

	private final AnonymousProductRead matcher = new AnonymousProductRead("/api/products/**");

	@Test
	void matchesGetsAndHeadsOfProductsWithoutCredentials() {
		assertThat(matches(MockServerHttpRequest.get("/api/products/6b1023e9502f459952a5f275"))).isTrue();
		assertThat(matches(MockServerHttpRequest.get("/api/products?category=kitchen"))).isTrue();
		assertThat(matches(MockServerHttpRequest.get("/api/products/count"))).isTrue();
		assertThat(matches(MockServerHttpRequest.head("/api/products/abc"))).isTrue();
	}

	@Test
	void leavesRequestsWithCredentialsToTheFullChain() {
		assertThat(matches(
				MockServerHttpRequest.get("/api/products/abc").header(HttpHeaders.AUTHORIZATION, "Basic dXNlcjp1c2Vy")))
			.isFalse();
		assertThat(matches(MockServerHttpRequest.get("/api/products/abc").header(HttpHeaders.AUTHORIZATION, "")))
			.isFalse();
		assertThat(matches(MockServerHttpRequest.get("/api/products/abc").header("authorization", "Bearer x")))
			.isFalse();
	}

	@Test
	void leavesOtherMethodsAndPathsToTheFullChain() {
		for (HttpMethod method : new HttpMethod[] { HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
				HttpMethod.DELETE, HttpMethod.OPTIONS }) {
			assertThat(matches(MockServerHttpRequest.method(method, "/api/products/abc"))).as(method.name()).isFalse();
		}
		assertThat(matches(MockServerHttpRequest.get("/api/productsx"))).isFalse();
		assertThat(matches(MockServerHttpRequest.get("/api/cache/stats"))).isFalse();
		assertThat(matches(MockServerHttpRequest.get("/actuator/prometheus"))).isFalse();
		assertThat(matches(MockServerHttpRequest.get("/API/products/abc"))).isFalse();
	}

	private boolean matches(MockServerHttpRequest.BaseBuilder<?> request) {
		return this.matcher.matches(MockServerWebExchange.from(request)).map((result) -> result.isMatch()).block();
	}

}
