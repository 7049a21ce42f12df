package io.productstore.product;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.productstore.cache.admin.CacheAdministration;
import io.productstore.support.Instance;
import io.productstore.support.NearCacheWaits;
import io.productstore.support.ProductApi;
import io.productstore.support.RealServersConfiguration;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.WebFilter;

import static io.productstore.support.ProductApi.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link DirectNearReads}: an instance with it (this test's, the default) and
 * one without it ({@code app.cache.near.direct-reads=false}), on the same servers, give
 * the same answer to every request for a product both hold in memory, and each request is
 * seen to take the way it should (this instance's recorder tells whether the controller's
 * mapping handled it).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@Import({ RealServersConfiguration.class, DirectNearReadsIntegrationTests.HandlerRecorder.class })
class DirectNearReadsIntegrationTests {

	/** What differs between any two answers, whoever gives them. */
	private static final Set<String> PER_ANSWER = Set.of("x-request-id", "x-response-time", "date",
			"ratelimit-remaining", "ratelimit-reset");

	private static Instance withoutDirectReads;

	@Autowired
	WebTestClient client;

	@Autowired
	CacheAdministration cache;

	@Autowired
	HandlerRecorder recorder;

	@Autowired
	MeterRegistry meters;

	@LocalServerPort
	String port;

	ProductApi api;

	String id;

	@BeforeAll
	static void startInstanceWithoutDirectReads() {
		withoutDirectReads = Instance.onRealServers("--app.cache.near.direct-reads=false");
	}

	@AfterAll
	static void stopInstanceWithoutDirectReads() {
		withoutDirectReads.close();
	}

	@BeforeEach
	void createHeldProduct() {
		this.api = new ProductApi(this.client);
		NearCacheWaits.awaitActive(this.cache);
		NearCacheWaits.awaitActive(withoutDirectReads.bean(CacheAdministration.class));
		this.id = this.api.createdId(product("category", "direct-" + new ObjectId()));
		NearCacheWaits.awaitServedFromMemory(this.api, this.id);
		NearCacheWaits.awaitServedFromMemory(withoutDirectReads.api(), this.id);
	}

	@Test
	void answersEveryReadOfAHeldProductAsTheControllerDoes() {
		String path = "/api/products/" + this.id;
		assertSameAnswer("a plain read", HttpMethod.GET, path, (headers) -> {
		}, true);
		assertSameAnswer("an upper-case id", HttpMethod.GET,
				path.toUpperCase(Locale.ROOT).replace("/API/PRODUCTS/", "/api/products/"), (headers) -> {
				}, true);
		assertSameAnswer("the tag in If-None-Match", HttpMethod.GET, path, (headers) -> headers.setIfNoneMatch("\"0\""),
				true);
		assertSameAnswer("a weak tag in If-None-Match", HttpMethod.GET, path,
				(headers) -> headers.setIfNoneMatch("W/\"0\""), true);
		assertSameAnswer("If-None-Match: *", HttpMethod.GET, path, (headers) -> headers.setIfNoneMatch("*"), true);
		assertSameAnswer("another version's tag", HttpMethod.GET, path, (headers) -> headers.setIfNoneMatch("\"7\""),
				true);
		assertSameAnswer("Accept: text/html", HttpMethod.GET, path,
				(headers) -> headers.set(HttpHeaders.ACCEPT, "text/html"), true);
		assertSameAnswer("If-Modified-Since", HttpMethod.GET, path,
				(headers) -> headers.set(HttpHeaders.IF_MODIFIED_SINCE, "Wed, 21 Oct 2099 07:28:00 GMT"), true);
		assertSameAnswer("a cross-origin read", HttpMethod.GET, path,
				(headers) -> headers.setOrigin("http://localhost:3000"), true);
		assertSameAnswer("an authenticated read", HttpMethod.GET, path, ProductApi.as(ProductApi.USER), true);

		assertSameAnswer("HEAD", HttpMethod.HEAD, path, (headers) -> {
		}, false);
		assertSameAnswer("a selection of fields", HttpMethod.GET, path + "?fields=name,price", (headers) -> {
		}, false);
		assertSameAnswer("a trailing slash", HttpMethod.GET, path + "/", (headers) -> {
		}, false);
		assertSameAnswer("a malformed id", HttpMethod.GET, path.substring(0, path.length() - 1) + "g", (headers) -> {
		}, false);
		assertSameAnswer("an escaped id", HttpMethod.GET, "/api/products/%36" + this.id.substring(1), (headers) -> {
		}, false);
		for (ProductApi instance : List.of(this.api, withoutDirectReads.api())) {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> instance.list("/count").expectHeader().valueEquals("X-Cache-Level", "near"));
		}
		assertSameAnswer("the count", HttpMethod.GET, "/api/products/count", (headers) -> {
		}, false);
		// Last: a read that bypasses the cache drops the instance's copy too.
		assertSameAnswer("Cache-Control: no-cache", HttpMethod.GET, path,
				(headers) -> headers.setCacheControl("no-cache"), false);
	}

	@Test
	void leavesAProductHeldAsMissingToTheController() {
		String unknown = new ObjectId().toHexString();
		NearCacheWaits.awaitHeldAsMissing(this.api, unknown);
		NearCacheWaits.awaitHeldAsMissing(withoutDirectReads.api(), unknown);
		assertSameAnswer("an id held as missing", HttpMethod.GET, "/api/products/" + unknown, (headers) -> {
		}, false);
	}

	@Test
	void timesADirectReadUnderTheRouteItAnswers() {
		double before = readsTimed("200");
		EntityExchangeResult<byte[]> read = this.api.get(this.id).expectStatus().isOk().expectBody().returnResult();
		assertThat(this.recorder.controllerHandled(read)).isFalse();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(readsTimed("200")).isEqualTo(before + 1));

		double notModified = readsTimed("304");
		this.client.get()
			.uri("/api/products/{id}", this.id)
			.header(HttpHeaders.IF_NONE_MATCH, "\"0\"")
			.exchange()
			.expectStatus()
			.isNotModified();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(readsTimed("304")).isEqualTo(notModified + 1));
	}

	private double readsTimed(String status) {
		Timer timer = this.meters.find("http.server.requests")
			.tag("uri", DirectNearReads.PATTERN)
			.tag("method", "GET")
			.tag("status", status)
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

	private void assertSameAnswer(String request, HttpMethod method, String uri, Consumer<HttpHeaders> headers,
			boolean direct) {
		EntityExchangeResult<byte[]> with = exchange(this.client, this.port, method, uri, headers);
		EntityExchangeResult<byte[]> without = exchange(withoutDirectReads.api().client(),
				withoutDirectReads.context().getEnvironment().getProperty("local.server.port"), method, uri, headers);
		assertThat(with.getStatus()).as(request).isEqualTo(without.getStatus());
		assertThat(comparable(with.getResponseHeaders())).as(request)
			.isEqualTo(comparable(without.getResponseHeaders()));
		assertThat(with.getResponseBody()).as(request).isEqualTo(without.getResponseBody());
		assertThat(this.recorder.controllerHandled(with)).as(request + " answered by the controller")
			.isEqualTo(!direct);
	}

	// The URI as it is, not expanded as a template (which would escape an escape).
	private static EntityExchangeResult<byte[]> exchange(WebTestClient client, String port, HttpMethod method,
			String uri, Consumer<HttpHeaders> headers) {
		return client.method(method)
			.uri(URI.create("http://127.0.0.1:" + port + uri))
			.headers(headers)
			.exchange()
			.expectBody()
			.returnResult();
	}

	private static Map<String, List<String>> comparable(HttpHeaders headers) {
		Map<String, List<String>> comparable = new TreeMap<>();
		headers.forEach((name, values) -> {
			String key = name.toLowerCase(Locale.ROOT);
			if (!PER_ANSWER.contains(key)) {
				comparable.put(key, values);
			}
		});
		return comparable;
	}

	/**
	 * Records, by request id, whether a request mapping's handler method took the
	 * request: Spring's request mappings mark the exchange with the method they chose,
	 * the direct route does not. Recorded before the response is committed, so before the
	 * client can ask.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class HandlerRecorder {

		private final Map<String, Boolean> controllerHandled = new ConcurrentHashMap<>();

		Boolean controllerHandled(EntityExchangeResult<?> answer) {
			return this.controllerHandled.get(answer.getResponseHeaders().getFirst("X-Request-Id"));
		}

		@Bean
		WebFilter handlerRecorder() {
			return (exchange, chain) -> {
				exchange.getResponse().beforeCommit(() -> Mono.fromRunnable(() -> {
					String requestId = exchange.getResponse().getHeaders().getFirst("X-Request-Id");
					if (requestId != null) {
						this.controllerHandled.put(requestId,
								exchange.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE) != null);
					}
				}));
				return chain.filter(exchange);
			};
		}

	}

}
