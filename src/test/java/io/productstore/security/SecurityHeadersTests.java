package io.productstore.security;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.header.CacheControlServerHttpHeadersWriter;
import org.springframework.security.web.server.header.CompositeServerHttpHeadersWriter;
import org.springframework.security.web.server.header.ContentSecurityPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.ContentTypeOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.header.CrossOriginEmbedderPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.CrossOriginOpenerPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.CrossOriginResourcePolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.FeaturePolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.PermissionsPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.ServerHttpHeadersWriter;
import org.springframework.security.web.server.header.StrictTransportSecurityServerHttpHeadersWriter;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.header.XXssProtectionServerHttpHeadersWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SecurityHeaders}: the same headers as Spring Security's default
 * writers (the list of {@code ServerHttpSecurity.HeaderSpec}), response by response.
 */
class SecurityHeadersTests {

	private static final ServerHttpHeadersWriter DEFAULTS = new CompositeServerHttpHeadersWriter(
			List.of(new CacheControlServerHttpHeadersWriter(), new ContentTypeOptionsServerHttpHeadersWriter(),
					new StrictTransportSecurityServerHttpHeadersWriter(), new XFrameOptionsServerHttpHeadersWriter(),
					new XXssProtectionServerHttpHeadersWriter(), new FeaturePolicyServerHttpHeadersWriter(),
					new PermissionsPolicyServerHttpHeadersWriter(), new ContentSecurityPolicyServerHttpHeadersWriter(),
					new ReferrerPolicyServerHttpHeadersWriter(), new CrossOriginOpenerPolicyServerHttpHeadersWriter(),
					new CrossOriginEmbedderPolicyServerHttpHeadersWriter(),
					new CrossOriginResourcePolicyServerHttpHeadersWriter()));

	@Test
	void writesTheDefaultHeadersOnAPlainResponse() {
		assertSameAsDefaults("http://localhost/api/products", (response) -> {
		});
		assertThat(written("http://localhost/api/products", (response) -> {
		})).containsEntry("X-Content-Type-Options", List.of("nosniff"))
			.containsEntry("X-Frame-Options", List.of("DENY"))
			.containsEntry("Cache-Control", List.of(SecurityHeaders.CACHE_CONTROL))
			.doesNotContainKey("Strict-Transport-Security");
	}

	@Test
	void addsStrictTransportSecurityOverHttpsOnly() {
		assertSameAsDefaults("https://localhost/api/products", (response) -> {
		});
		assertThat(written("https://localhost/api/products", (response) -> {
		})).containsEntry("Strict-Transport-Security", List.of(SecurityHeaders.HSTS));
	}

	@Test
	void keepsAPublicCacheControlAndWritesNoCachingHeadersOnA304() {
		assertSameAsDefaults("http://localhost/api/products/1",
				(response) -> response.getHeaders().set(HttpHeaders.CACHE_CONTROL, "max-age=5, public"));
		assertSameAsDefaults("http://localhost/api/products/1",
				(response) -> response.getHeaders().set(HttpHeaders.EXPIRES, "Thu, 01 Jan 2026 00:00:00 GMT"));
		assertSameAsDefaults("http://localhost/api/products/1",
				(response) -> response.setStatusCode(HttpStatus.NOT_MODIFIED));
	}

	@Test
	void keepsHeadersTheResponseAlreadyHas() {
		assertSameAsDefaults("https://localhost/swagger-ui.html", (response) -> {
			response.getHeaders().set("X-Frame-Options", "SAMEORIGIN");
			response.getHeaders().set("Referrer-Policy", "origin");
			response.getHeaders().set("Strict-Transport-Security", "max-age=60");
		});
	}

	private static void assertSameAsDefaults(String uri, Consumer<ServerHttpResponse> before) {
		assertThat(written(uri, before)).isEqualTo(written(DEFAULTS, uri, before));
	}

	private static Map<String, List<String>> written(String uri, Consumer<ServerHttpResponse> before) {
		return written(new SecurityHeaders(), uri, before);
	}

	private static Map<String, List<String>> written(ServerHttpHeadersWriter writer, String uri,
			Consumer<ServerHttpResponse> before) {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(uri));
		before.accept(exchange.getResponse());
		writer.writeHttpHeaders(exchange).as(StepVerifier::create).verifyComplete();
		Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		exchange.getResponse().getHeaders().forEach(headers::put);
		return headers;
	}

}
