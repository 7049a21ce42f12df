package io.productstore.ratelimit;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.productstore.ProductStoreApplication;
import io.productstore.support.ProductApi;
import io.productstore.support.RealServersConfiguration;
import io.productstore.web.ProblemTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RateLimitFilter} on two instances sharing one Redis: one budget per
 * client across both, 429 problem details past it, a budget of its own per user.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { RateLimitIntegrationTests.ANONYMOUS_CAPACITY, RateLimitIntegrationTests.USER_CAPACITY,
				RateLimitIntegrationTests.ANONYMOUS_REFILL, RateLimitIntegrationTests.USER_REFILL,
				RateLimitIntegrationTests.TRUSTED_PROXIES, RateLimitIntegrationTests.TIMEOUT,
				RateLimitIntegrationTests.KEY_PREFIX })
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@Import(RealServersConfiguration.class)
class RateLimitIntegrationTests {

	// The header of io.productstore.web.ResponseTimeFilter, as a client sees it.
	private static final String RESPONSE_TIME = "X-Response-Time";

	static final String ANONYMOUS_CAPACITY = "app.ratelimit.anonymous.capacity=5";

	static final String ANONYMOUS_REFILL = "app.ratelimit.anonymous.refill-period=1h";

	static final String USER_CAPACITY = "app.ratelimit.user.capacity=3";

	static final String USER_REFILL = "app.ratelimit.user.refill-period=1h";

	// The tests run on loopback: the loopback peer is the proxy, so that each test can be
	// a client of its own through X-Forwarded-For.
	static final String TRUSTED_PROXIES = "app.ratelimit.trusted-proxies=127.0.0.1,::1";

	// Generous on a busy machine: a slow answer would count a request on one instance
	// only.
	static final String TIMEOUT = "app.ratelimit.redis.timeout=5s";

	// Buckets of their own, apart from the suite's generous ones in the shared Redis.
	static final String KEY_PREFIX = "app.cache.key-prefix=ratelimit-it:";

	private static final AtomicInteger clients = new AtomicInteger();

	private static ConfigurableApplicationContext secondInstance;

	private static WebTestClient second;

	@Autowired
	WebTestClient first;

	@BeforeAll
	static void startSecondInstance() {
		secondInstance = new SpringApplicationBuilder(ProductStoreApplication.class, RealServersConfiguration.class)
			.profiles("test")
			.run("--server.port=0", "--" + ANONYMOUS_CAPACITY, "--" + ANONYMOUS_REFILL, "--" + USER_CAPACITY,
					"--" + USER_REFILL, "--" + TRUSTED_PROXIES, "--" + TIMEOUT, "--" + KEY_PREFIX);
		int port = ((WebServerApplicationContext) secondInstance).getWebServer().getPort();
		second = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
	}

	@AfterAll
	static void stopSecondInstance() {
		if (secondInstance != null) {
			secondInstance.close();
		}
	}

	@Test
	void sharesOneBudgetPerClientAcrossInstancesAndRefusesPastIt() {
		String client = newClient();
		List<WebTestClient> instances = List.of(this.first, second);
		for (int i = 0; i < 5; i++) {
			count(instances.get(i % 2), client, null).expectStatus()
				.isOk()
				.expectHeader()
				.valueEquals(RateLimitFilter.LIMIT, "5")
				.expectHeader()
				.valueEquals(RateLimitFilter.REMAINING, String.valueOf(4 - i))
				.expectHeader()
				.exists(RateLimitFilter.RESET);
		}
		for (WebTestClient instance : instances) {
			HttpHeaders headers = count(instance, client, null).expectStatus()
				.isEqualTo(429)
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectHeader()
				.valueEquals(RateLimitFilter.LIMIT, "5")
				.expectHeader()
				.valueEquals(RateLimitFilter.REMAINING, "0")
				.expectHeader()
				.exists(RESPONSE_TIME)
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo(429)
				.jsonPath("$.type")
				.isEqualTo(ProblemTypes.BASE + "too-many-requests")
				.jsonPath("$.instance")
				.isEqualTo("/api/products/count")
				.returnResult()
				.getResponseHeaders();
			// A full bucket takes the hour; the next token a twelfth of it.
			long retryAfter = Long.parseLong(headers.getFirst(HttpHeaders.RETRY_AFTER));
			long reset = Long.parseLong(headers.getFirst(RateLimitFilter.RESET));
			assertThat(retryAfter).isBetween(700L, 720L);
			assertThat(reset).isBetween(3500L, 3600L);
		}
	}

	@Test
	void givesAnAuthenticatedUserABudgetOfItsOwn() {
		String client = newClient();
		for (int i = 0; i < 5; i++) {
			count(this.first, client, null).expectStatus().isOk();
		}
		count(second, client, null).expectStatus().isEqualTo(429);
		for (int i = 0; i < 3; i++) {
			count((i % 2 == 0) ? second : this.first, client, ProductApi.USER).expectStatus()
				.isOk()
				.expectHeader()
				.valueEquals(RateLimitFilter.LIMIT, "3")
				.expectHeader()
				.valueEquals(RateLimitFilter.REMAINING, String.valueOf(2 - i));
		}
		count(second, newClient(), ProductApi.USER).expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.exists(HttpHeaders.RETRY_AFTER);
		// Another client IP is another anonymous budget.
		count(this.first, newClient(), null).expectStatus().isOk();
	}

	@Test
	void limitsErrorAnswersOfTheApiToo() {
		this.first.get()
			.uri("/api/products/{id}", "000000000000000000000000")
			.header(ClientKeyResolver.FORWARDED_FOR, newClient())
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.valueEquals(RateLimitFilter.REMAINING, "4");
	}

	@Test
	void leavesActuatorAndDocumentationAlone() {
		this.first.get().uri("/actuator/health").exchange().expectHeader().doesNotExist(RateLimitFilter.LIMIT);
		this.first.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist(RateLimitFilter.LIMIT);
	}

	@Test
	void letsBrowsersReadTheHeaders() {
		this.first.get()
			.uri("/api/products/count")
			.header(HttpHeaders.ORIGIN, "http://localhost:3000")
			.header(ClientKeyResolver.FORWARDED_FOR, newClient())
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.value(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS,
					(exposed) -> assertThat(exposed).contains(RateLimitFilter.LIMIT, RateLimitFilter.REMAINING,
							RateLimitFilter.RESET, HttpHeaders.RETRY_AFTER));
	}

	private static ResponseSpec count(WebTestClient instance, String client, String user) {
		return instance.get()
			.uri("/api/products/count")
			.header(ClientKeyResolver.FORWARDED_FOR, client)
			.headers((headers) -> {
				if (user != null) {
					headers.setBasicAuth(user, user);
				}
			})
			.exchange();
	}

	private static String newClient() {
		return "203.0.113." + clients.incrementAndGet();
	}

}
