package io.productstore.security;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.WebFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SecurityConfiguration}.
 */
// The development users, and a scraper: a list set in a test's properties replaces the
// whole list of application.yml.
@WebFluxTest(controllers = SecurityConfigurationTests.RealPathsController.class,
		properties = { "app.security.users[0].name=admin", "app.security.users[0].password={noop}admin",
				"app.security.users[0].roles=ADMIN", "app.security.users[1].name=editor",
				"app.security.users[1].password={noop}editor", "app.security.users[1].roles=EDITOR",
				"app.security.users[2].name=user", "app.security.users[2].password={noop}user",
				"app.security.users[2].roles=USER", "app.security.users[3].name=scraper",
				"app.security.users[3].password={noop}scraper", "app.security.users[3].roles=METRICS" })
@Import({ WebLayerTestConfiguration.class, SecurityConfigurationTests.RealPathsController.class })
class SecurityConfigurationTests {

	// The header of io.productstore.web.ResponseTimeFilter, as a client sees it.
	private static final String RESPONSE_TIME = "X-Response-Time";

	@Autowired
	private WebTestClient client;

	@Autowired
	private WebFilterChainProxy securityFilters;

	@Autowired
	@Qualifier("anonymousProductReads")
	private SecurityWebFilterChain anonymousProductReads;

	@Test
	void runsTheSecurityFiltersWithoutACheckpointEach() {
		// Every other test here goes through it.
		assertThat(this.securityFilters).isInstanceOf(AnonymousReadShortcut.class);
		assertThat(ReflectionTestUtils.getField(((AnonymousReadShortcut) this.securityFilters).proxy(),
				"filterChainDecorator"))
			.isInstanceOf(UncheckpointedSecurityFilters.class);
	}

	@Test
	void takesAnonymousReadsStraightToTheFiltersOfTheirChainThatAct() {
		// The tests of anonymous reads here go through the shortcut, those with
		// credentials through the proxy.
		List<WebFilter> chain = this.anonymousProductReads.getWebFilters().collectList().block();
		// The four are there to leave out: a version of Spring Security that no longer
		// adds one, or adds it in another form, is looked at again.
		assertThat(chain).extracting((filter) -> filter.getClass().getName())
			.containsAll(StatelessReadFilters.HANDING_ON_NOTHING);
		assertThat(((AnonymousReadShortcut) this.securityFilters).anonymousReadFilters())
			.containsExactlyElementsOf(StatelessReadFilters.of(chain));
	}

	@Test
	void handsAnAnonymousReadOnAsTheWholeChainDoes() {
		AnonymousReadShortcut shortcut = (AnonymousReadShortcut) this.securityFilters;
		HandedOn viaShortcut = HandedOn.by(shortcut);
		HandedOn viaProxy = HandedOn.by(shortcut.proxy());
		assertThat(viaShortcut).isEqualTo(viaProxy);
		assertThat(viaShortcut.handled()).isTrue();
		assertThat(viaShortcut.securityContext()).isFalse();
		assertThat(viaShortcut.principal()).isFalse();
		assertThat(viaShortcut.headers()).containsKeys("X-Content-Type-Options", HttpHeaders.VARY);
	}

	@Test
	void letsAnybodyReadProducts() {
		this.client.get().uri("/api/products/abc").exchange().expectStatus().isOk();
		this.client.get().uri("/api/products").exchange().expectStatus().isOk();
		this.client.head().uri("/api/products/abc").exchange().expectStatus().isOk();
	}

	@Test
	void challengesAnonymousWritesWithAProblem() {
		this.client.post()
			.uri("/api/products")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"product-store\"")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.exists(RESPONSE_TIME)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(401)
			.jsonPath("$.type")
			.isEqualTo("https://productstore.example/problems/unauthorized")
			.jsonPath("$.instance")
			.isEqualTo("/api/products");
	}

	@Test
	void challengesWrongCredentialsWithAProblem() {
		as("admin", "wrong", HttpMethod.POST, "/api/products").expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"product-store\"")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	// Reads without credentials take a chain of their own (AnonymousProductRead); with
	// credentials, right or wrong, they still take the full one.
	@Test
	void challengesWrongCredentialsOnAPublicRead() {
		as("admin", "wrong", HttpMethod.GET, "/api/products/abc").expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"product-store\"")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		as("user", "user", HttpMethod.GET, "/api/products/abc").expectStatus().isOk();
	}

	@Test
	void writesTheSameSecurityHeadersOnAnonymousAndAuthenticatedReads() {
		HttpHeaders anonymous = this.client.get()
			.uri("/api/products/abc")
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseHeaders();
		HttpHeaders authenticated = as("user", "user", HttpMethod.GET, "/api/products/abc").expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseHeaders();
		for (String name : new String[] { HttpHeaders.CACHE_CONTROL, HttpHeaders.PRAGMA, HttpHeaders.EXPIRES,
				"X-Content-Type-Options", "X-Frame-Options", "X-XSS-Protection", "Referrer-Policy",
				HttpHeaders.VARY }) {
			org.assertj.core.api.Assertions.assertThat(anonymous.get(name))
				.as(name)
				.isNotEmpty()
				.isEqualTo(authenticated.get(name));
		}
	}

	@Test
	void letsEditorsAndAdminsWriteProducts() {
		for (String user : new String[] { "editor", "admin" }) {
			as(user, user, HttpMethod.POST, "/api/products").expectStatus().isOk();
			as(user, user, HttpMethod.PUT, "/api/products/abc").expectStatus().isOk();
			as(user, user, HttpMethod.PATCH, "/api/products/abc").expectStatus().isOk();
			as(user, user, HttpMethod.DELETE, "/api/products/abc").expectStatus().isOk();
		}
	}

	@Test
	void forbidsPlainUsersToWriteProductsWithAProblem() {
		as("user", "user", HttpMethod.DELETE, "/api/products/abc").expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.exists(RESPONSE_TIME)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(403)
			.jsonPath("$.type")
			.isEqualTo("https://productstore.example/problems/forbidden")
			.jsonPath("$.instance")
			.isEqualTo("/api/products/abc");
	}

	@Test
	void letsAnyAuthenticatedUserChangeTheWishlist() {
		as("user", "user", HttpMethod.PATCH, "/api/products/abc/wishlist").expectStatus().isOk();
		this.client.patch().uri("/api/products/abc/wishlist").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void reservesCacheAdministrationToAdmins() {
		as("admin", "admin", HttpMethod.GET, "/api/cache/stats").expectStatus().isOk();
		as("admin", "admin", HttpMethod.DELETE, "/api/cache").expectStatus().isOk();
		as("editor", "editor", HttpMethod.GET, "/api/cache/stats").expectStatus().isForbidden();
		this.client.get().uri("/api/cache/stats").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void reservesActuatorToAdminsExceptHealthAndInfo() {
		this.client.get().uri("/actuator/health").exchange().expectStatus().isOk();
		this.client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		this.client.get().uri("/actuator/info").exchange().expectStatus().isOk();
		this.client.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
		as("user", "user", HttpMethod.GET, "/actuator/prometheus").expectStatus().isForbidden();
		as("admin", "admin", HttpMethod.GET, "/actuator/prometheus").expectStatus().isOk();
	}

	@Test
	void letsAScraperReadTheMetricsAndNothingElse() {
		as("scraper", "scraper", HttpMethod.GET, "/actuator/prometheus").expectStatus().isOk();
		as("scraper", "scraper", HttpMethod.GET, "/actuator/metrics").expectStatus().isForbidden();
		as("scraper", "scraper", HttpMethod.GET, "/api/cache/stats").expectStatus().isForbidden();
		as("scraper", "scraper", HttpMethod.DELETE, "/api/cache").expectStatus().isForbidden();
	}

	@Test
	void deniesAnApiRouteThatNoRuleNames() {
		this.client.get().uri("/api/unnamed").exchange().expectStatus().isUnauthorized();
		as("admin", "admin", HttpMethod.GET, "/api/unnamed").expectStatus().isForbidden();
		this.client.get().uri("/api/ping").exchange().expectStatus().isOk();
	}

	@Test
	void answersUnknownRoutesWithNotFoundRatherThanUnauthorized() {
		this.client.get().uri("/nope").exchange().expectStatus().isNotFound();
		this.client.post().uri("/api/nope").exchange().expectStatus().isNotFound();
	}

	@Test
	void keepsNoSession() {
		as("admin", "admin", HttpMethod.GET, "/api/cache/stats").expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist(HttpHeaders.SET_COOKIE);
	}

	@Test
	void answersACorsPreflightBeforeAuthentication() {
		this.client.options()
			.uri("http://localhost:8080/api/products/abc")
			.header(HttpHeaders.ORIGIN, "http://localhost:5173")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "DELETE")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization,content-type")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "http://localhost:5173")
			.expectHeader()
			.value(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS,
					(methods) -> org.assertj.core.api.Assertions.assertThat(methods).contains("DELETE"))
			.expectHeader()
			.value(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS,
					(headers) -> org.assertj.core.api.Assertions.assertThat(headers)
						.containsIgnoringCase("authorization"))
			.expectHeader()
			.valueEquals(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "1800");
	}

	@Test
	void exposesServiceHeadersToCrossOriginReads() {
		this.client.get()
			.uri("http://localhost:8080/api/products/abc")
			.header(HttpHeaders.ORIGIN, "http://127.0.0.1:3000")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "http://127.0.0.1:3000")
			.expectHeader()
			.value(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS,
					(exposed) -> org.assertj.core.api.Assertions.assertThat(exposed)
						.contains("X-Response-Time", "X-Request-Id", "X-Cache", "ETag", "Location", "Retry-After"));
	}

	@Test
	void refusesCrossOriginReadsFromUnknownOrigins() {
		this.client.get()
			.uri("http://localhost:8080/api/products/abc")
			.header(HttpHeaders.ORIGIN, "https://evil.example")
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
	}

	private WebTestClient.ResponseSpec as(String user, String password, HttpMethod method, String uri) {
		return this.client.method(method)
			.uri(uri)
			.headers((headers) -> headers.setBasicAuth(user, password))
			.exchange();
	}

	@RestController
	static class RealPathsController {

		@GetMapping({ "/api/products", "/api/products/{id}", "/api/cache/stats", "/actuator/health",
				"/actuator/health/liveness", "/actuator/info", "/actuator/prometheus", "/actuator/metrics",
				"/api/unnamed", "/api/ping" })
		Mono<String> read() {
			return Mono.just("ok");
		}

		@PostMapping("/api/products")
		Mono<String> create() {
			return Mono.just("ok");
		}

		@PutMapping("/api/products/{id}")
		Mono<String> replace() {
			return Mono.just("ok");
		}

		@PatchMapping({ "/api/products/{id}", "/api/products/{id}/wishlist" })
		Mono<String> patch() {
			return Mono.just("ok");
		}

		@DeleteMapping({ "/api/products/{id}", "/api/cache" })
		Mono<HttpStatus> delete() {
			return Mono.just(HttpStatus.OK);
		}

	}

	/**
	 * Whether the handler after the security filters ran, what it saw of an anonymous
	 * read, and the headers of the response.
	 */
	private record HandedOn(boolean handled, boolean securityContext, boolean principal,
			Map<String, List<String>> headers) {

		static HandedOn by(WebFilter securityFilters) {
			MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/products/abc"));
			AtomicBoolean handled = new AtomicBoolean();
			AtomicBoolean context = new AtomicBoolean();
			AtomicBoolean principal = new AtomicBoolean();
			securityFilters
				.filter(exchange,
						(passed) -> Mono.fromRunnable(() -> handled.set(true))
							.then(ReactiveSecurityContextHolder.getContext().hasElement())
							.doOnNext(context::set)
							.then(passed.getPrincipal().hasElement())
							.doOnNext(principal::set)
							.then(Mono.defer(() -> passed.getResponse().setComplete())))
				.block();
			Map<String, List<String>> headers = new TreeMap<>();
			exchange.getResponse().getHeaders().forEach(headers::put);
			return new HandedOn(handled.get(), context.get(), principal.get(), headers);
		}

	}

}
